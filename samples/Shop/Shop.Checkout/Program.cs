using System.Globalization;
using Shop.Checkout;
using Shop.Checkout.Checkout;
using Shop.Checkout.Flags;

// Shop.Checkout: POST /checkout pays an order through the payments service (PAYMENTS_URL). Which flow handles it is
// decided per request by the new-checkout flag, evaluated over OFREP (OFREP_URL); without a flag server, the code
// default (off: the classic flow) applies. It listens where it is told (--urls or ASPNETCORE_URLS) and answers
// /health/ready once it can serve.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, CheckoutJson.Default));

var paymentsUrl = Environment.GetEnvironmentVariable(PaymentsClient.UrlVariable);
if (string.IsNullOrWhiteSpace(paymentsUrl) || !Uri.TryCreate(paymentsUrl, UriKind.Absolute, out var paymentsBase))
{
    Console.Error.WriteLine($"Set {PaymentsClient.UrlVariable} to the payments service's base URL (e.g. http://127.0.0.1:5081); it was '{paymentsUrl}'.");
    return 2;
}

var ofrepUrl = Environment.GetEnvironmentVariable(OfrepFlagClient.UrlVariable);
Uri? ofrepBase = null;
if (!string.IsNullOrWhiteSpace(ofrepUrl) && !Uri.TryCreate(ofrepUrl, UriKind.Absolute, out ofrepBase))
{
    Console.Error.WriteLine($"{OfrepFlagClient.UrlVariable} must be an absolute URL (e.g. http://127.0.0.1:8016); it was '{ofrepUrl}'. Leave it unset to use the code defaults.");
    return 2;
}

// Connections to payments live at most 2 s, as a client behind a load balancer or a Kubernetes Service should have them:
// new replicas get traffic soon, and a change on the path (such as the Docker and Kubernetes targets' latency, which
// catches new connections where the kernel has no netem) reaches every request within 2 s rather than never on a busy
// keep-alive connection. Shorter costs connection set-ups, which a loaded machine makes slow for the new flow's budget.
builder.Services.AddHttpClient<PaymentsClient>(c => c.BaseAddress = WithSlash(paymentsBase))
    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(2), UseProxy = false });
builder.Services.AddHttpClient<OfrepFlagClient>(c => c.BaseAddress = ofrepBase is null ? null : WithSlash(ofrepBase))
    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false });
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddTransient(s => new ClassicCheckout(s.GetRequiredService<PaymentsClient>(), s.GetRequiredService<TimeProvider>()));
builder.Services.AddTransient(s => new NewCheckout(s.GetRequiredService<PaymentsClient>()));

var app = builder.Build();

// killswitch: no-flag operational endpoint
app.MapGet("/health/ready", () => Results.Text("ready"));

app.MapPost("/checkout", async (CheckoutRequest? request, HttpResponse response, OfrepFlagClient flags, IServiceProvider services, CancellationToken cancellationToken) =>
{
    var order = new Order(request?.OrderId ?? "ord_" + Guid.NewGuid().ToString("N")[..12], request?.Amount ?? 42.50m);
    if (order.Amount <= 0)
    {
        return Results.BadRequest(new CheckoutResult(order.OrderId, "none", 0, null, null, "\"amount\" must be greater than zero."));
    }

    CheckoutResult result;
    if (await flags.GetBooleanValueAsync(ShopFlags.NewCheckout, defaultValue: false, order.OrderId, cancellationToken))
    {
        result = await services.GetRequiredService<NewCheckout>().PlaceAsync(order, cancellationToken);
    }
    else
    {
        result = await services.GetRequiredService<ClassicCheckout>().PlaceAsync(order, cancellationToken);
    }

    response.Headers["X-Checkout-Flow"] = result.Flow;
    response.Headers["X-Payment-Attempts"] = result.Attempts.ToString(CultureInfo.InvariantCulture);
    return result.Paid ? Results.Ok(result) : Results.Json(result, CheckoutJson.Default.CheckoutResult, statusCode: StatusCodes.Status502BadGateway);
});

await app.RunAsync();
return 0;

static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
