using System;
using System.Collections.Generic;
using Killswitch.Build.Reports;

namespace Killswitch.Build.Tests.Reports;

public class SummaryDocumentTests
{
    private static readonly Dictionary<string, string> Compared = new()
    {
        ["scope"] = "Changed",
        ["base-ref"] = "origin/main",
        ["merge-base"] = "3f2a1b2c4d5e6f",
        ["repository-root"] = "/repo/",
    };

    [Fact]
    public void Write_GateWithFindings_TableWithLocationMemberRuleAndWhy()
    {
        var input = new SummaryInput
        {
            ProjectName = "Shop.Api",
            TargetFramework = "net10.0",
            Gate = true,
            Findings = SarifReader.Read(SarifSamples.Version21),
            NewCode = Compared,
            ChangedFileCount = 2,
        };

        var sut = SummaryDocument.Write(input);

        Assert.StartsWith("### ❌ Killswitch: 2 new code paths not behind a feature flag in Shop.Api (net10.0)\n", sut, StringComparison.Ordinal);
        Assert.Contains("Compared with `origin/main` (merge-base `3f2a1b2c4d`), working tree included: 2 changed source files.", sut, StringComparison.Ordinal);
        Assert.Contains("| `src/Shop.Api/Program.cs:19` | `<top-level> endpoint GET /new-unguarded` | [KS1001](https://github.com/killswitch-dev/killswitch/blob/main/docs/rules/KS1001.md) | Endpoint 'GET /new-unguarded' is new code that no feature flag guards |", sut, StringComparison.Ordinal);
        Assert.Contains("| `src/Shop.Api/Services/Billing.cs:10` |", sut, StringComparison.Ordinal);
        Assert.Contains("no feature flag guards \\| piped |", sut, StringComparison.Ordinal);
        Assert.Contains("The build fails on these", sut, StringComparison.Ordinal);
        Assert.Contains("KillswitchWriteBaseline=true", sut, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NoFindings_PassHeadline()
    {
        var sut = SummaryDocument.Write(new SummaryInput { ProjectName = "Shop.Api", Gate = true, Findings = [], NewCode = Compared, ChangedFileCount = 1 });

        Assert.StartsWith("### ✅ Killswitch: no unguarded new code in Shop.Api\n", sut, StringComparison.Ordinal);
        Assert.Contains("1 changed source file.", sut, StringComparison.Ordinal);
        Assert.DoesNotContain("| Location |", sut, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_GitStepFailedTheGate_SaysWhyAndHowToFix()
    {
        var newCode = new Dictionary<string, string>
        {
            ["scope"] = "None",
            ["problem"] = "KSB004 This is a shallow clone and it does not reach the merge-base. Fetch the full history.",
        };

        var sut = SummaryDocument.Write(new SummaryInput
        {
            ProjectName = "Shop.Api",
            Gate = true,
            NewCodeFailed = true,
            NewCode = newCode,
            FindingsUnavailable = "The build stopped before compilation, so there are no findings to show.",
        });

        Assert.StartsWith("### ❌ Killswitch could not tell which code is new: Shop.Api\n", sut, StringComparison.Ordinal);
        Assert.Contains("> **KSB004** This is a shallow clone", sut, StringComparison.Ordinal);
        Assert.Contains("docs/msbuild.md#ksb004", sut, StringComparison.Ordinal);
        Assert.Contains("KillswitchNewCodeFallback", sut, StringComparison.Ordinal);
        Assert.Contains("stopped before compilation", sut, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_WarningsOutsideTheGate_SaysTheGateWouldFail()
    {
        var sut = SummaryDocument.Write(new SummaryInput { ProjectName = "Shop.Api", Gate = false, Findings = SarifReader.Read(SarifSamples.Version1), NewCode = Compared });

        Assert.StartsWith("### ⚠️ Killswitch: 1 new code path not behind a feature flag in Shop.Api\n", sut, StringComparison.Ordinal);
        Assert.Contains("the gate (KillswitchGate=true) would fail on KS1001", sut, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NotesOnly_PassHeadlineWithoutThem()
    {
        var note = new Finding("KS0005", "note", "This project evaluates feature flags but has no flag manifest", "/repo/Program.cs", 3, 1, null, null);
        var other = new Finding("KS1002", "warning", "Flag key 'nwe-checkout' is not in the manifest; did you mean 'new-checkout'?", "/repo/Program.cs", 9, 5, null, null);

        var notesOnly = SummaryDocument.Write(new SummaryInput { ProjectName = "Shop.Api", Gate = true, Findings = [note], NewCode = Compared });
        var otherRule = SummaryDocument.Write(new SummaryInput { ProjectName = "Shop.Api", Gate = true, Findings = [note, other], NewCode = Compared });

        Assert.StartsWith("### ✅ Killswitch: no unguarded new code in Shop.Api\n", notesOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("KS0005", notesOnly, StringComparison.Ordinal);
        Assert.StartsWith("### ⚠️ Killswitch: 1 finding in Shop.Api\n", otherRule, StringComparison.Ordinal);
        Assert.Contains("| `Program.cs:9` | - | KS1002 |", otherRule, StringComparison.Ordinal);
        Assert.DoesNotContain("KS0005", otherRule, StringComparison.Ordinal);
    }
}
