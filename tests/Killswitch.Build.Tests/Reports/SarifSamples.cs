namespace Killswitch.Build.Tests.Reports;

/// <summary>SARIF logs shaped as the C# compiler writes them (taken from real builds, trimmed).</summary>
internal static class SarifSamples
{
    public const string Version21 = """
        {
          "$schema": "http://json.schemastore.org/sarif-2.1.0",
          "version": "2.1.0",
          "runs": [
            {
              "results": [
                {
                  "ruleId": "KS1001",
                  "ruleIndex": 0,
                  "level": "error",
                  "message": { "text": "Endpoint 'GET /new-unguarded' is new code that no feature flag guards; put it behind a flag check" },
                  "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "file:///repo/src/Shop.Api/Program.cs" }, "region": { "startLine": 19, "startColumn": 5, "endLine": 19, "endColumn": 56 } } } ],
                  "properties": { "warningLevel": 1, "customProperties": { "KillswitchBaselineKey": "<top-level> endpoint GET /new-unguarded", "KillswitchCodePathKind": "Endpoint" } }
                },
                {
                  "ruleId": "CA1822",
                  "ruleIndex": 1,
                  "level": "note",
                  "message": { "text": "Member 'M' does not access instance data" },
                  "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "file:///repo/src/Shop.Api/Other.cs" }, "region": { "startLine": 1, "startColumn": 1 } } } ]
                },
                {
                  "ruleId": "KS1001",
                  "ruleIndex": 0,
                  "level": "error",
                  "message": { "text": "Method 'Billing.Refund' is new code that no feature flag guards | piped; put it behind a flag check" },
                  "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "Services/Billing.cs", "uriBaseId": "SRC" }, "region": { "startLine": 10, "startColumn": 23 } } } ],
                  "properties": { "customProperties": { "KillswitchBaselineKey": "Shop.Api.Services.Billing.Refund(int)" } }
                },
                {
                  "ruleId": "KS1001",
                  "ruleIndex": 0,
                  "level": "warning",
                  "message": { "text": "Suppressed in source" },
                  "suppressions": [ { "kind": "inSource" } ],
                  "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "file:///repo/src/Shop.Api/Quiet.cs" }, "region": { "startLine": 3 } } } ],
                  "properties": { "customProperties": { "KillswitchBaselineKey": "Quiet.M()" } }
                }
              ],
              "tool": {
                "driver": {
                  "name": "Microsoft (R) Visual C# Compiler",
                  "rules": [
                    { "id": "KS1001", "helpUri": "https://github.com/killswitch-dev/killswitch/blob/main/docs/rules/KS1001.md" },
                    { "id": "CA1822" }
                  ]
                }
              },
              "originalUriBaseIds": { "SRC": { "uri": "file:///repo/src/Shop.Api/" } },
              "columnKind": "utf16CodeUnits"
            }
          ]
        }
        """;

    public const string Version1 = """
        {
          "$schema": "http://json.schemastore.org/sarif-1.0.0",
          "version": "1.0.0",
          "runs": [
            {
              "tool": { "name": "Microsoft (R) Visual C# Compiler" },
              "results": [
                {
                  "ruleId": "KS1001",
                  "level": "warning",
                  "message": "Method 'Billing.Refund' is new code that no feature flag guards",
                  "locations": [ { "resultFile": { "uri": "file:///repo/Billing.cs", "region": { "startLine": 10, "startColumn": 23 } } } ],
                  "properties": { "warningLevel": 1, "customProperties": { "KillswitchBaselineKey": "Billing.Refund(int)" } }
                }
              ],
              "rules": { "KS1001": { "id": "KS1001", "helpUri": "https://example.invalid/KS1001" } }
            }
          ]
        }
        """;
}
