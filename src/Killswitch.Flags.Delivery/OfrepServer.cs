using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Killswitch.Flags.Matrix;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Killswitch.Flags.Delivery;

/// <summary>
/// An OpenFeature Remote Evaluation Protocol (OFREP) server on loopback that serves the flags of a manifest, pinned to
/// the variants of the selected <see cref="VariantAssignment"/>. Any OFREP provider (the OpenFeature .NET, JS, Go, Java
/// SDKs) pointed at <see cref="BaseAddress"/> reads them; <see cref="Select"/> switches every later evaluation at once.
/// </summary>
/// <remarks>
/// <para>
/// Endpoints: <c>POST /ofrep/v1/evaluate/flags/{key}</c> (single: 200 with <c>key</c>, <c>value</c>, <c>reason</c>,
/// <c>variant</c>, <c>metadata</c>; 404 <c>FLAG_NOT_FOUND</c>) and <c>POST /ofrep/v1/evaluate/flags</c> (bulk, with an
/// <c>ETag</c>; 304 when <c>If-None-Match</c> matches). A body that is not a JSON object is 400 <c>PARSE_ERROR</c>; a
/// <c>context</c> that is not an object is 400 <c>INVALID_CONTEXT</c>. The context is otherwise ignored: targeting is
/// not evaluated, a test pins the variant instead.
/// </para>
/// <para>
/// A flag that is disabled, or has no default variant, defers to the caller's code default: 200 with its reason
/// (<c>DISABLED</c> or <c>DEFAULT</c>) and no <c>value</c> (OFREP ADR 0006). Values keep their JSON kind (an integer
/// flag is served <c>5</c>, a float flag <c>5.0</c>), so the client detects a type mismatch, as OFREP leaves it to do.
/// </para>
/// </remarks>
public sealed class OfrepServer : IAsyncDisposable
{
    private const int MaxBodyBytes = 1024 * 1024;

    private readonly FlagManifest _manifest;
    private readonly WebApplication _app;
    private Snapshot _snapshot;
    private int _disposed;

    private OfrepServer(FlagManifest manifest, WebApplication app, Uri baseAddress)
    {
        _manifest = manifest;
        _app = app;
        BaseAddress = baseAddress;
        _snapshot = Snapshot.Create(manifest, assignment: null);
    }

    /// <summary>The server's address, <c>http://127.0.0.1:{port}/</c> (or the bind address given): the base URL an OFREP provider is given.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The assignment served, or null when every flag is served as the manifest defines it.</summary>
    public VariantAssignment? Selected => Volatile.Read(ref _snapshot).Assignment;

    /// <summary>The bulk evaluation's current entity tag (quoted, as in the <c>ETag</c> header); it changes whenever what is served changes.</summary>
    public string ETag => Volatile.Read(ref _snapshot).ETag;

    /// <summary>Starts a server for the manifest on an ephemeral loopback port, serving every flag as the manifest defines it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="manifest"/> is null.</exception>
    public static Task<OfrepServer> StartAsync(FlagManifest manifest, CancellationToken cancellationToken = default) =>
        StartAsync(manifest, IPAddress.Loopback, cancellationToken);

    /// <summary>
    /// Starts a server for the manifest on an ephemeral port of <paramref name="bindAddress"/>. Loopback (the other
    /// overload) serves this host only; to serve containers or pods, bind the address they reach this host at: Docker's
    /// bridge gateway (<c>172.17.0.1</c> on docker0, what the Kubernetes CI cluster's pods use) or kind's network gateway.
    /// A wildcard address is refused: the base URL must name an address clients can connect to.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="manifest"/> or <paramref name="bindAddress"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="bindAddress"/> is a wildcard (<c>0.0.0.0</c>, <c>::</c>).</exception>
    public static async Task<OfrepServer> StartAsync(FlagManifest manifest, IPAddress bindAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(bindAddress);
        if (bindAddress.Equals(IPAddress.Any) || bindAddress.Equals(IPAddress.IPv6Any))
        {
            throw new ArgumentException($"Bind address {bindAddress} is a wildcard, so BaseAddress would name no address a client can reach. Pass the address clients use to reach this host (for pods on Docker's bridge: its gateway, e.g. 172.17.0.1).", nameof(bindAddress));
        }

        // The empty builder: Kestrel and nothing else (no logging providers, configuration files or routing).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(bindAddress, 0));
        var app = builder.Build();
        try
        {
            OfrepServer? server = null;
            app.Run(context => server!.HandleAsync(context));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server = new OfrepServer(manifest, app, new Uri(address.TrimEnd('/') + "/"));
            return server;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Serves <paramref name="assignment"/>'s variants from the next request on (flags it does not name are served as the
    /// manifest defines them); null goes back to the manifest. The bulk <see cref="ETag"/> changes with what is served.
    /// </summary>
    /// <exception cref="ArgumentException">The assignment names a flag or variant the manifest does not have (the message lists what it has).</exception>
    public void Select(VariantAssignment? assignment)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        Volatile.Write(ref _snapshot, Snapshot.Create(_manifest, assignment));
    }

    /// <summary>Stops the server; idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        // Providers join the base URL and the path with a '/', so a base URL given with a trailing '/' gives "//ofrep/...".
        var path = "/" + (request.Path.Value ?? "").TrimStart('/');
        var bulk = string.Equals(path, OfrepConstants.EvaluateFlagsPath, StringComparison.Ordinal);
        var single = !bulk && path.StartsWith(OfrepConstants.EvaluateFlagsPath + "/", StringComparison.Ordinal) && path.Length > OfrepConstants.EvaluateFlagsPath.Length + 1;
        if (!bulk && !single)
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, Error(key: null, code: null, $"No OFREP endpoint at {path}; POST to {OfrepConstants.EvaluateFlagsPath} or {OfrepConstants.EvaluateFlagsPath}/{{key}}.")).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await WriteAsync(context, StatusCodes.Status405MethodNotAllowed, Error(key: null, code: null, $"OFREP evaluates with POST, not {request.Method}.")).ConfigureAwait(false);
            return;
        }

        var key = single ? path[(OfrepConstants.EvaluateFlagsPath.Length + 1)..] : null;
        var problem = await ReadRequestAsync(request, context.RequestAborted).ConfigureAwait(false);
        if (problem is not null)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, Error(key, problem.Value.Code, problem.Value.Details)).ConfigureAwait(false);
            return;
        }

        // One snapshot per request: a concurrent Select never mixes two assignments in one answer.
        var snapshot = Volatile.Read(ref _snapshot);
        if (key is not null)
        {
            if (snapshot.Single.TryGetValue(key, out var body))
            {
                await WriteAsync(context, StatusCodes.Status200OK, body).ConfigureAwait(false);
            }
            else
            {
                var details = $"Flag '{key}' is not in the manifest this Killswitch OFREP server serves; its flags are {snapshot.Keys}.";
                await WriteAsync(context, StatusCodes.Status404NotFound, Error(key, OfrepConstants.FlagNotFound, details)).ConfigureAwait(false);
            }

            return;
        }

        context.Response.Headers.ETag = snapshot.ETag;
        if (Matches(request.Headers.IfNoneMatch, snapshot.ETag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        await WriteAsync(context, StatusCodes.Status200OK, snapshot.Bulk).ConfigureAwait(false);
    }

    private static async Task<(string Code, string Details)?> ReadRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (OfrepConstants.ParseError, $"The request body is larger than {MaxBodyBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return null; // OFREP makes the body optional: no context.
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (OfrepConstants.ParseError, $"The request body must be a JSON object such as {{\"context\": {{}}}}, found {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            }

            if (document.RootElement.TryGetProperty("context", out var evaluationContext) && evaluationContext.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                return (OfrepConstants.InvalidContext, $"\"context\" must be a JSON object, found {evaluationContext.ValueKind.ToString().ToLowerInvariant()}.");
            }

            return null;
        }
        catch (JsonException e)
        {
            return (OfrepConstants.ParseError, "The request body is not valid JSON: " + e.Message);
        }
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        foreach (var header in ifNoneMatch)
        {
            foreach (var candidate in (header ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // If-None-Match uses the weak comparison (RFC 9110, 13.1.2).
                var tag = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
                if (tag == "*" || string.Equals(tag, etag, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }

    private static byte[] Error(string? key, string? code, string details) => Json(writer =>
    {
        writer.WriteStartObject();
        if (key is not null)
        {
            writer.WriteString("key", key);
        }

        if (code is not null)
        {
            writer.WriteString("errorCode", code);
        }

        writer.WriteString("errorDetails", details);
        writer.WriteEndObject();
    });

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEvaluation(Utf8JsonWriter writer, ServedFlag flag)
    {
        writer.WriteStartObject();
        writer.WriteString("key", flag.Flag.Key);
        if (flag.Value is not null)
        {
            writer.WritePropertyName("value");
            writer.WriteRawValue(flag.Value.ToJson());
        }

        writer.WriteString("reason", flag.Reason);
        if (flag.Variant is not null)
        {
            writer.WriteString("variant", flag.Variant);
        }

        writer.WriteStartObject("metadata");
        foreach (var (name, value) in flag.Flag.Metadata.Values)
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(value.ToJson());
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private sealed class Snapshot
    {
        private Snapshot(VariantAssignment? assignment, Dictionary<string, byte[]> single, byte[] bulk, string keys)
        {
            Assignment = assignment;
            Single = single;
            Bulk = bulk;
            Keys = keys;
            ETag = "\"" + Convert.ToHexString(SHA256.HashData(bulk).AsSpan(0, 12)).ToLowerInvariant() + "\"";
        }

        public VariantAssignment? Assignment { get; }

        public Dictionary<string, byte[]> Single { get; }

        public byte[] Bulk { get; }

        public string Keys { get; }

        public string ETag { get; }

        public static Snapshot Create(FlagManifest manifest, VariantAssignment? assignment)
        {
            var served = ServedFlag.Resolve(manifest, assignment);
            var single = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var flag in served)
            {
                single[flag.Flag.Key] = Json(writer => WriteEvaluation(writer, flag));
            }

            var bulk = Json(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("flags");
                foreach (var flag in served)
                {
                    WriteEvaluation(writer, flag);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            var keys = manifest.Flags.Count == 0 ? "none" : string.Join(", ", manifest.Flags.Select(f => f.Key));
            return new Snapshot(assignment, single, bulk, keys);
        }
    }
}
