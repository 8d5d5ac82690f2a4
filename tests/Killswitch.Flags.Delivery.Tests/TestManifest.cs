namespace Killswitch.Flags.Delivery.Tests;

internal static class TestManifest
{
    public const string Json = """
        { "flags": {
          "new-checkout":   { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off",
                              "metadata": { "owner": "payments", "expiry": "2026-03-31" } },
          "checkout-flow":  { "state": "ENABLED", "variants": { "classic": "classic", "wizard": "wizard" }, "defaultVariant": "classic",
                              "targeting": { "if": [{ "var": "staff" }, "wizard", null] } },
          "max-items":      { "state": "ENABLED", "variants": { "few": 5, "many": 100 }, "defaultVariant": "few" },
          "discount-rate":  { "state": "ENABLED", "variants": { "none": 0, "big": 0.25 }, "defaultVariant": "none" },
          "theme":          { "state": "ENABLED", "variants": { "dark": { "background": "#000", "contrast": 7 }, "light": { "background": "#fff", "contrast": 4.5 } },
                              "defaultVariant": "dark" },
          "retired-banner": { "state": "DISABLED", "variants": { "shown": "hello" }, "defaultVariant": "shown" },
          "from-code":      { "state": "ENABLED", "variants": { "a": "a", "b": "b" }, "defaultVariant": null }
        } }
        """;

    public static FlagManifest Load()
    {
        var manifest = FlagManifest.Parse("flags.json", Json);
        Assert.Empty(manifest.Diagnostics);
        return manifest;
    }
}
