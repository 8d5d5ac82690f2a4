using System.Net;
using System.Text;
using System.Text.Json;
using Killswitch.Flags.Matrix;

namespace Killswitch.Flags.Delivery.Tests;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime.DisposeAsync.")]
public sealed class OfrepServerTests : IAsyncLifetime
{
    private OfrepServer _sut = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _sut = await OfrepServer.StartAsync(TestManifest.Load());
        _http = new HttpClient { BaseAddress = _sut.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sut.DisposeAsync();
    }

    [Fact]
    public void StartAsync_Always_ListensOnAnEphemeralLoopbackPort()
    {
        Assert.Equal("127.0.0.1", _sut.BaseAddress.Host);
        Assert.NotEqual(0, _sut.BaseAddress.Port);
        Assert.Null(_sut.Selected);
    }

    [Fact]
    public async Task StartAsync_BindAddress_ListensAndAnswersThere()
    {
        // IPv6 loopback exists on every test machine but is not the default bind address: it proves the option is
        // honoured. Pods use the Docker bridge gateway the same way (docs/targets/kubernetes.md#flag-variants).
        await using var server = await OfrepServer.StartAsync(TestManifest.Load(), IPAddress.IPv6Loopback);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.PostAsync("ofrep/v1/evaluate/flags/new-checkout", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal("[::1]", server.BaseAddress.Host);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StartAsync_WildcardBindAddress_ThrowsSayingWhichAddressToUse()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => OfrepServer.StartAsync(TestManifest.Load(), IPAddress.Any));

        Assert.StartsWith("Bind address 0.0.0.0 is a wildcard", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("new-checkout", """{"key":"new-checkout","value":false,"reason":"STATIC","variant":"off","metadata":{"owner":"payments","expiry":"2026-03-31"}}""")]
    [InlineData("checkout-flow", """{"key":"checkout-flow","value":"classic","reason":"DEFAULT","variant":"classic","metadata":{}}""")]
    [InlineData("max-items", """{"key":"max-items","value":5,"reason":"STATIC","variant":"few","metadata":{}}""")]
    [InlineData("discount-rate", """{"key":"discount-rate","value":0.0,"reason":"STATIC","variant":"none","metadata":{}}""")]
    [InlineData("theme", """{"key":"theme","value":{"background":"#000","contrast":7},"reason":"STATIC","variant":"dark","metadata":{}}""")]
    [InlineData("retired-banner", """{"key":"retired-banner","reason":"DISABLED","metadata":{}}""")]
    [InlineData("from-code", """{"key":"from-code","reason":"DEFAULT","metadata":{}}""")]
    public async Task Single_NothingSelected_ServesTheManifestWithEachJsonKind(string key, string expected)
    {
        var (status, body) = await PostAsync($"ofrep/v1/evaluate/flags/{key}", """{"context":{"targetingKey":"u1"}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task Single_AfterSelect_ServesTheSelectedVariantsAtOnce()
    {
        _sut.Select(VariantAssignment.Parse("new-checkout=on,checkout-flow=wizard,discount-rate=big,theme=light"));

        Assert.Equal("""{"key":"new-checkout","value":true,"reason":"STATIC","variant":"on","metadata":{"owner":"payments","expiry":"2026-03-31"}}""", (await PostAsync("ofrep/v1/evaluate/flags/new-checkout", "{}")).Body);
        Assert.Equal("""{"key":"checkout-flow","value":"wizard","reason":"STATIC","variant":"wizard","metadata":{}}""", (await PostAsync("ofrep/v1/evaluate/flags/checkout-flow", "{}")).Body);
        Assert.Equal("""{"key":"discount-rate","value":0.25,"reason":"STATIC","variant":"big","metadata":{}}""", (await PostAsync("ofrep/v1/evaluate/flags/discount-rate", "{}")).Body);
        Assert.Equal("""{"key":"theme","value":{"background":"#fff","contrast":4.5},"reason":"STATIC","variant":"light","metadata":{}}""", (await PostAsync("ofrep/v1/evaluate/flags/theme", "{}")).Body);
        Assert.Equal("""{"key":"max-items","value":5,"reason":"STATIC","variant":"few","metadata":{}}""", (await PostAsync("ofrep/v1/evaluate/flags/max-items", "{}")).Body);

        _sut.Select(null);

        Assert.Equal("""{"key":"new-checkout","value":false,"reason":"STATIC","variant":"off","metadata":{"owner":"payments","expiry":"2026-03-31"}}""", (await PostAsync("ofrep/v1/evaluate/flags/new-checkout", "{}")).Body);
    }

    [Fact]
    public async Task Single_UnknownKey_Returns404FlagNotFoundNamingTheFlags()
    {
        var (status, body) = await PostAsync("ofrep/v1/evaluate/flags/new-chekout", "{}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(
            """{"key":"new-chekout","errorCode":"FLAG_NOT_FOUND","errorDetails":"Flag \u0027new-chekout\u0027 is not in the manifest this Killswitch OFREP server serves; its flags are new-checkout, checkout-flow, max-items, discount-rate, theme, retired-banner, from-code."}""",
            body);
    }

    [Theory]
    [InlineData("{\"context\":", "PARSE_ERROR")]
    [InlineData("[1]", "PARSE_ERROR")]
    [InlineData("{\"context\":[]}", "INVALID_CONTEXT")]
    public async Task Single_BadBody_Returns400WithTheErrorCode(string requestBody, string code)
    {
        var (status, body) = await PostAsync("ofrep/v1/evaluate/flags/new-checkout", requestBody);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("new-checkout", json.RootElement.GetProperty("key").GetString());
        Assert.Equal(code, json.RootElement.GetProperty("errorCode").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("errorDetails").GetString()));
    }

    [Fact]
    public async Task Single_EmptyBody_IsAnEvaluationWithoutContext()
    {
        var (status, _) = await PostAsync("ofrep/v1/evaluate/flags/new-checkout", "");

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Bulk_NoIfNoneMatch_ReturnsEveryFlagWithTheETag()
    {
        using var response = await _http.PostAsync("ofrep/v1/evaluate/flags", Json("""{"context":{}}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_sut.ETag, response.Headers.ETag?.ToString());
        using var json = JsonDocument.Parse(body);
        var flags = json.RootElement.GetProperty("flags").EnumerateArray().ToList();
        Assert.Equal(["new-checkout", "checkout-flow", "max-items", "discount-rate", "theme", "retired-banner", "from-code"], flags.Select(f => f.GetProperty("key").GetString()));
        Assert.Equal(JsonValueKind.False, flags[0].GetProperty("value").ValueKind);
        Assert.Equal("5", flags[2].GetProperty("value").GetRawText());
        Assert.Equal("0.0", flags[3].GetProperty("value").GetRawText());
        Assert.Equal("DISABLED", flags[5].GetProperty("reason").GetString());
        Assert.False(flags[5].TryGetProperty("value", out _));
    }

    [Fact]
    public async Task Bulk_MatchingIfNoneMatch_Returns304UntilSelectChangesTheETag()
    {
        var etag = _sut.ETag;

        using var notModified = await BulkAsync(etag);
        using var weak = await BulkAsync("\"other\", W/" + etag);
        _sut.Select(VariantAssignment.Parse("new-checkout=on"));
        using var changed = await BulkAsync(etag);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag?.ToString());
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, weak.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, _sut.ETag);
        Assert.Equal(_sut.ETag, changed.Headers.ETag?.ToString());
        Assert.Contains("\"key\":\"new-checkout\",\"value\":true", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bulk_SameAssignmentAgain_KeepsTheETag()
    {
        _sut.Select(VariantAssignment.Parse("new-checkout=on"));
        var etag = _sut.ETag;

        _sut.Select(VariantAssignment.Parse("new-checkout=on"));

        Assert.Equal(etag, _sut.ETag);
    }

    [Fact]
    public async Task Bulk_MalformedBody_Returns400ParseErrorWithoutKey()
    {
        var (status, body) = await PostAsync("ofrep/v1/evaluate/flags", "{oops");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("PARSE_ERROR", json.RootElement.GetProperty("errorCode").GetString());
        Assert.False(json.RootElement.TryGetProperty("key", out _));
    }

    [Fact]
    public async Task Get_AnEvaluationPath_Returns405AllowingPost()
    {
        using var response = await _http.GetAsync("ofrep/v1/evaluate/flags/new-checkout");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Fact]
    public void Select_UnknownFlagOrVariant_ThrowsNamingWhatTheManifestHas()
    {
        var flag = Assert.Throws<ArgumentException>(() => _sut.Select(VariantAssignment.Parse("dark-mode=on")));
        var variant = Assert.Throws<ArgumentException>(() => _sut.Select(VariantAssignment.Parse("checkout-flow=one-page")));

        Assert.StartsWith("Assignment 'dark-mode=on' selects flag 'dark-mode', which is not in the manifest; its flags are new-checkout, checkout-flow, max-items, discount-rate, theme, retired-banner, from-code.", flag.Message);
        Assert.StartsWith("Assignment 'checkout-flow=one-page' selects variant 'one-page' of flag 'checkout-flow', which has no such variant; its variants are classic, wizard.", variant.Message);
        Assert.Null(_sut.Selected);
    }

    [Fact]
    public async Task DisposeAsync_Twice_StopsListeningAndDoesNotThrow()
    {
        await _sut.DisposeAsync();
        await _sut.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => _http.PostAsync("ofrep/v1/evaluate/flags", Json("{}")));
        Assert.Throws<ObjectDisposedException>(() => _sut.Select(null));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string body)
    {
        using var response = await _http.PostAsync(path, Json(body));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> BulkAsync(string ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "ofrep/v1/evaluate/flags") { Content = Json("{}") };
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await _http.SendAsync(request);
    }
}
