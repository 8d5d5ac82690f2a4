namespace Killswitch.Analyzers.Benchmarks.Generation;

/// <summary>A business area of the generated application: one namespace, one entity, its services and endpoints.</summary>
internal sealed record Area(string Name, string Entity)
{
    public static IReadOnlyList<Area> All { get; } =
    [
        new("Orders", "Order"), new("Billing", "Invoice"), new("Catalog", "Product"), new("Checkout", "Cart"),
        new("Identity", "Account"), new("Inventory", "StockItem"), new("Notifications", "Notification"),
        new("Payments", "Payment"), new("Pricing", "PriceRule"), new("Recommendations", "Recommendation"),
        new("Reporting", "Report"), new("Search", "SearchIndex"), new("Shipping", "Shipment"),
        new("Support", "Ticket"), new("Analytics", "Metric"), new("Loyalty", "RewardAccount"),
        new("Marketing", "Campaign"), new("Subscriptions", "Subscription"), new("Tenants", "Tenant"),
        new("Documents", "Document"), new("Scheduling", "Appointment"), new("Reviews", "Review"),
        new("Warehouses", "Warehouse"), new("Suppliers", "Supplier"), new("Returns", "ReturnRequest"),
        new("Fraud", "RiskCase"), new("Compliance", "Audit"), new("Messaging", "Conversation"),
        new("Media", "Asset"), new("Geo", "Location"), new("Partners", "Partner"), new("Quotes", "Quote"),
    ];

    public string Namespace => $"BenchApp.{Name}";

    public string Dto => $"{Entity}Dto";

    public string Request => $"{Entity}Request";

    public string Summary => $"{Entity}Summary";

    public string Repository => $"I{Entity}Repository";

    public string Kebab => ToKebab(Name);

    public string Local => char.ToLowerInvariant(Entity[0]) + Entity[1..];

    public static string ToKebab(string pascal)
    {
        var chars = new List<char>(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                chars.Add('-');
            }

            chars.Add(char.ToLowerInvariant(pascal[i]));
        }

        return new string([.. chars]);
    }
}

/// <summary>Word lists the generator draws names from.</summary>
internal static class Words
{
    public static IReadOnlyList<string> ServiceSuffixes { get; } =
    [
        "Query", "Command", "Validation", "Export", "Import", "Audit", "Sync", "Notification", "Reconciliation",
        "Scheduling", "Cache", "Projection", "Policy", "Report", "Migration", "Archive", "Enrichment", "Scoring",
        "Routing", "Pricing", "Forecast", "Quota", "Lifecycle", "Snapshot",
    ];

    public static IReadOnlyList<string> NewServiceSuffixes { get; } =
    [
        "Insights", "Preview", "Bulk", "Replay", "Streaming", "Federation", "Assistant", "Digest",
    ];

    public static IReadOnlyList<string> Verbs { get; } =
    [
        "Get", "Load", "Compute", "Refresh", "Apply", "Evaluate", "Collect", "Merge", "Publish", "Prepare",
        "Resolve", "Rebuild", "Summarize", "Process", "Validate", "Estimate",
    ];

    public static IReadOnlyList<string> NewVerbs { get; } =
    [
        "Preview", "Backfill", "Reprice", "Rebalance", "Simulate", "Throttle", "Shadow", "Recompute",
    ];

    public static IReadOnlyList<string> Nouns { get; } =
    [
        "Totals", "Batch", "Window", "Snapshot", "Digest", "Overview", "Backlog", "Exposure", "Candidates",
        "Limits", "History", "Segments", "Balance", "Statistics",
    ];

    public static IReadOnlyList<string> FlagWords { get; } =
    [
        "fast-path", "new-layout", "async-export", "smart-retry", "bulk-mode", "v2-engine", "dark-launch",
        "strict-validation", "parallel-fetch", "cache-warmup", "rounding-fix", "early-access", "beta-api",
        "tiered-pricing", "audit-trail", "geo-routing", "lazy-load", "soft-delete",
    ];

    public static IReadOnlyList<string> NewFlagWords { get; } =
    [
        "rollout-2025", "checkout-v3", "ai-ranking", "instant-refund", "new-tax-engine", "edge-cache",
        "partial-ship", "smart-bundles",
    ];

    public static IReadOnlyList<string> Statuses { get; } =
    [
        "pending", "active", "suspended", "closed", "archived", "trial", "failed",
    ];

    public static IReadOnlyList<string> Tags { get; } =
    [
        "priority", "vip", "internal", "legacy", "promo", "eu", "us", "apac", "bulk", "gift",
    ];

    public static string Pascal(string kebab) =>
        string.Concat(kebab.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}
