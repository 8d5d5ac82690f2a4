using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.Checkout.Checkout;
using Shop.Checkout.Flags;

namespace Shop.Checkout;

/// <summary>Source-generated JSON for every type this service reads or writes.</summary>
[JsonSerializable(typeof(CheckoutRequest))]
[JsonSerializable(typeof(CheckoutResult))]
[JsonSerializable(typeof(PaymentRequest))]
[JsonSerializable(typeof(PaymentReceipt))]
[JsonSerializable(typeof(OfrepRequest))]
[JsonSerializable(typeof(OfrepEvaluation))]
[JsonSerializable(typeof(JsonElement))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class CheckoutJson : JsonSerializerContext
{
}
