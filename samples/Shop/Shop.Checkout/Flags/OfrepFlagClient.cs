using System.Net;
using System.Text.Json;

namespace Shop.Checkout.Flags;

/// <summary>
/// A small client of the OpenFeature Remote Evaluation Protocol (OFREP): <c>POST {OFREP_URL}/ofrep/v1/evaluate/flags/{key}</c>.
/// Every call asks the server (nothing is cached), so a flag switched on the server takes effect from the next request.
/// The code default is returned when no server is configured, the server cannot be reached or answers an error, the flag
/// defers to the code default (a 200 without <c>value</c>, OFREP ADR 0006), or the value has the wrong type.
/// </summary>
/// <remarks>
/// The OpenFeature .NET SDK with its OFREP provider does the same; this sample carries its own client so that it has no
/// dependency beyond ASP.NET Core.
/// </remarks>
internal sealed partial class OfrepFlagClient(HttpClient http, ILogger<OfrepFlagClient> logger)
{
    /// <summary>The environment variable holding the OFREP server's base URL.</summary>
    public const string UrlVariable = "OFREP_URL";

    /// <summary>How long one evaluation may take before the code default is used: a flag must never hold checkout up.</summary>
    public static readonly TimeSpan EvaluationTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>Evaluates a boolean flag for <paramref name="targetingKey"/>.</summary>
    [FeatureFlagGuard]
    public async Task<bool> GetBooleanValueAsync(string flagKey, bool defaultValue, string? targetingKey = null, CancellationToken cancellationToken = default)
    {
        if (http.BaseAddress is null)
        {
            return defaultValue;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EvaluationTimeout);
        try
        {
            var body = new OfrepRequest(new OfrepContext(targetingKey));
            using var response = await http.PostAsJsonAsync("ofrep/v1/evaluate/flags/" + Uri.EscapeDataString(flagKey), body, CheckoutJson.Default.OfrepRequest, timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                LogEvaluationError(logger, flagKey, (int)response.StatusCode);
                return defaultValue;
            }

            var evaluation = await response.Content.ReadFromJsonAsync(CheckoutJson.Default.OfrepEvaluation, timeout.Token);
            return evaluation?.Value is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : defaultValue;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, flagKey, ex.Message);
            return defaultValue;
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "OFREP evaluation of '{FlagKey}' answered {Status}; using the code default.")]
    private static partial void LogEvaluationError(ILogger logger, string flagKey, int status);

    [LoggerMessage(2, LogLevel.Warning, "OFREP evaluation of '{FlagKey}' failed ({Reason}); using the code default.")]
    private static partial void LogUnreachable(ILogger logger, string flagKey, string reason);
}

/// <summary>The OFREP evaluation request body.</summary>
internal sealed record OfrepRequest(OfrepContext Context);

/// <summary>The evaluation context; the Killswitch test server accepts and ignores it.</summary>
internal sealed record OfrepContext(string? TargetingKey);

/// <summary>The part of an OFREP evaluation this client reads.</summary>
internal sealed record OfrepEvaluation(string? Key, JsonElement? Value, string? Reason, string? Variant);
