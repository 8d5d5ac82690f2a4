using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

// Shop.Payments: POST /payments authorizes a payment. It listens where it is told (--urls or ASPNETCORE_URLS) and
// answers /health/ready once it can serve. PAYMENTS_PROCESSING_MS (default 20) is the time an authorization takes,
// standing in for the card network; a request in flight when the process is killed is lost, as it would be.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, PaymentsJson.Default));

var app = builder.Build();
var processing = TimeSpan.FromMilliseconds(ReadInt("PAYMENTS_PROCESSING_MS", 20));
var replica = Environment.GetEnvironmentVariable("KILLSWITCH_INSTANCE_ID") ?? Environment.GetEnvironmentVariable("HOSTNAME") ?? Environment.MachineName;

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
