using Killswitch.Flags.Matrix;

namespace Killswitch.Flags.Delivery.Tests;

public class EnvironmentVariableDeliveryTests
{
    [Fact]
    public void Create_Assignment_GivesFlagVariablesAndFeatureManagementBooleans()
    {
        var sut = EnvironmentVariableDelivery.Create(TestManifest.Load(), VariantAssignment.Parse("new-checkout=on,discount-rate=big,theme=light"));

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["FLAG_CHECKOUT_FLOW"] = "classic",
                ["FLAG_DISCOUNT_RATE"] = "0.25",
                ["FLAG_MAX_ITEMS"] = "5",
                ["FLAG_NEW_CHECKOUT"] = "true",
                ["FLAG_THEME"] = """{"background":"#fff","contrast":4.5}""",
                ["FeatureManagement__new-checkout"] = "true",
            },
            sut);
        Assert.Equal(sut.Keys.Order(StringComparer.Ordinal), sut.Keys);
    }

    [Fact]
    public void Create_NoAssignment_ServesDefaultsAndLeavesOutFlagsThatDeferToCode()
    {
        var sut = EnvironmentVariableDelivery.Create(TestManifest.Load(), assignment: null);

        Assert.Equal("false", sut["FeatureManagement__new-checkout"]);
        Assert.Equal("0.0", sut["FLAG_DISCOUNT_RATE"]);
        Assert.DoesNotContain("FLAG_RETIRED_BANNER", sut.Keys);
        Assert.DoesNotContain("FLAG_FROM_CODE", sut.Keys);
    }

    [Fact]
    public void Create_TwoKeysWithTheSameVariableName_ThrowsNamingBoth()
    {
        var manifest = FlagManifest.Parse("f.json", """
            { "flags": {
              "dark-mode": { "state": "ENABLED", "variants": { "on": true }, "defaultVariant": "on" },
              "dark.mode": { "state": "ENABLED", "variants": { "on": true }, "defaultVariant": "on" }
            } }
            """);

        var e = Assert.Throws<ArgumentException>(() => EnvironmentVariableDelivery.Create(manifest, null));

        Assert.StartsWith("Flags 'dark-mode' and 'dark.mode' both map to the environment variable FLAG_DARK_MODE;", e.Message);
    }

    [Theory]
    [InlineData("new-checkout", "FLAG_NEW_CHECKOUT")]
    [InlineData("enableExpressCheckout", "FLAG_ENABLEEXPRESSCHECKOUT")]
    [InlineData("a.b/c", "FLAG_A_B_C")]
    public void VariableName_Key_UpperCasesAndReplacesOtherCharacters(string key, string expected) =>
        Assert.Equal(expected, EnvironmentVariableDelivery.VariableName(key));
}
