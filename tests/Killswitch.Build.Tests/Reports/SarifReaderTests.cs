using System;
using Killswitch.Build.Reports;

namespace Killswitch.Build.Tests.Reports;

public class SarifReaderTests
{
    [Fact]
    public void Read_Version21_KillswitchResultsWithKeysAndLocations()
    {
        var sut = SarifReader.Read(SarifSamples.Version21);

        Assert.Equal(2, sut.Count);
        var endpoint = sut[0];
        Assert.Equal("KS1001", endpoint.RuleId);
        Assert.Equal("error", endpoint.Level);
        Assert.Equal("/repo/src/Shop.Api/Program.cs", endpoint.FilePath);
        Assert.Equal((19, 5), (endpoint.Line, endpoint.Column));
        Assert.Equal("<top-level> endpoint GET /new-unguarded", endpoint.BaselineKey);
        Assert.Equal("https://github.com/killswitch-dev/killswitch/blob/main/docs/rules/KS1001.md", endpoint.HelpUri);
        Assert.StartsWith("Endpoint 'GET /new-unguarded' is new code", endpoint.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RelativeUriWithBaseId_ResolvedAgainstTheBase()
    {
        var sut = SarifReader.Read(SarifSamples.Version21);

        Assert.Equal("/repo/src/Shop.Api/Services/Billing.cs", sut[1].FilePath);
        Assert.Equal("Shop.Api.Services.Billing.Refund(int)", sut[1].BaselineKey);
    }

    [Fact]
    public void Read_SuppressedAndForeignResults_LeftOut()
    {
        var sut = SarifReader.Read(SarifSamples.Version21);

        Assert.DoesNotContain(sut, f => f.RuleId == "CA1822");
        Assert.DoesNotContain(sut, f => f.BaselineKey == "Quiet.M()");
    }

    [Fact]
    public void Read_Version1_SameFields()
    {
        var finding = Assert.Single(SarifReader.Read(SarifSamples.Version1));

        Assert.Equal("/repo/Billing.cs", finding.FilePath);
        Assert.Equal((10, 23), (finding.Line, finding.Column));
        Assert.Equal("Billing.Refund(int)", finding.BaselineKey);
        Assert.Equal("https://example.invalid/KS1001", finding.HelpUri);
        Assert.Equal("warning", finding.Level);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ \"version\": \"2.1.0\" }")]
    [InlineData("{ \"runs\": [ { \"results\": [ } ] }")]
    public void Read_NotASarifLog_FormatException(string text)
    {
        Assert.Throws<FormatException>(() => SarifReader.Read(text));
    }
}
