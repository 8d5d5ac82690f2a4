using Killswitch.Analyzers.CodeFixes.PutBehindFeatureFlag;

namespace Killswitch.Analyzers.Tests.CodeFixes;

public class FlagKeysTests
{
    [Theory]
    [InlineData("PlaceOrderAsync", "place-order")]
    [InlineData("placeOrder", "place-order")]
    [InlineData("HTTPClientFactory", "http-client-factory")]
    [InlineData("Refund2Async", "refund2")]
    [InlineData("Async", "async")]
    [InlineData("get_Total", "get-total")]
    [InlineData("", FlagKeys.Fallback)]
    [InlineData(null, FlagKeys.Fallback)]
    public void FromMemberName_Name_KebabCaseWithoutAsyncSuffix(string? name, string expected) =>
        Assert.Equal(expected, FlagKeys.FromMemberName(name));

    [Theory]
    [InlineData("/orders/refund", "orders-refund")]
    [InlineData("/orders/{id:int}/refund", "orders-refund")]
    [InlineData("api/OrderItems", "api-order-items")]
    [InlineData("/", FlagKeys.Fallback)]
    [InlineData(null, FlagKeys.Fallback)]
    public void FromRoute_Route_LiteralSegmentsInKebabCase(string? route, string expected) =>
        Assert.Equal(expected, FlagKeys.FromRoute(route));
}
