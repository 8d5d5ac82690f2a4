using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

// Shop.Payments: POST /payments authorizes a payment. It listens where it is told (--urls or ASPNETCORE_URLS) and
// answers /health/ready once it can serve. PAYMENTS_PROCESSING_MS (default 20) is the time an authorization takes,
// standing in for the card network; a request in flight when the process is killed is lost, as it would be.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, PaymentsJson.Default));

// Graceful shutdown for callers that keep connections alive. A replica told to stop (SIGTERM) is still where callers are
// sent for a moment (Docker's DNS lists it until the container is gone, a Service until kube-proxy catches up), and
// their idle keep-alive connections race its close: a request sent as Kestrel closes the connection fails. So for
// PAYMENTS_SHUTDOWN_DELAY_MS (default 2000) it keeps serving but answers every request with "Connection: close", which
// retires those connections one by one; then Kestrel stops with no idle connection left to race, and new connections
// are refused at once (a caller then tries the service's next address).
var shutdownDelay = TimeSpan.FromMilliseconds(ReadInt("PAYMENTS_SHUTDOWN_DELAY_MS", 2000));
builder.Services.AddHostedService(_ => new ShutdownDelay(shutdownDelay));

var app = builder.Build();
var processing = TimeSpan.FromMilliseconds(ReadInt("PAYMENTS_PROCESSING_MS", 20));
var replica = Environment.GetEnvironmentVariable("KILLSWITCH_INSTANCE_ID") ?? Environment.GetEnvironmentVariable("HOSTNAME") ?? Environment.MachineName;
var stopping = app.Lifetime.ApplicationStopping;
app.Use((context, next) =>
{
    if (stopping.IsCancellationRequested)
    {
        context.Response.Headers.Connection = "close";
    }

    return next(context);
});

app.MapGet("/health/ready", () => Results.Text("ready"));

app.MapPost("/payments", async (PaymentRequest? request, CancellationToken cancellationToken) =>
{
    if (request is null || request.Amount <= 0)
    {
        return Results.BadRequest(new PaymentError("A payment needs a JSON body with \"amount\" greater than zero."));
    }

    await Task.Delay(processing, cancellationToken);
    var id = "pay_" + Guid.NewGuid().ToString("N")[..12];
    return Results.Ok(new PaymentReceipt(id, request.OrderId, request.Amount, replica));
});

await app.RunAsync();

static int ReadInt(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : fallback;

/// <summary>Delays the host's stop: <see cref="StoppingAsync"/> runs before any service (Kestrel included) stops.</summary>
internal sealed class ShutdownDelay(TimeSpan delay) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>What checkout asks for.</summary>
internal sealed record PaymentRequest(string OrderId, decimal Amount);

/// <summary>An authorized payment, with the replica that authorized it.</summary>
internal sealed record PaymentReceipt(string PaymentId, string OrderId, decimal Amount, string Replica);

/// <summary>Why a payment was refused.</summary>
internal sealed record PaymentError(string Error);

[JsonSerializable(typeof(PaymentRequest))]
[JsonSerializable(typeof(PaymentReceipt))]
[JsonSerializable(typeof(PaymentError))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class PaymentsJson : JsonSerializerContext
{
}
