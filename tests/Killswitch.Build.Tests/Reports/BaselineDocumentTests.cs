using Killswitch.Build.Reports;

namespace Killswitch.Build.Tests.Reports;

public class BaselineDocumentTests
{
    [Fact]
    public void Write_NoFile_DefaultHeaderThenSortedUniqueEntries()
    {
        var sut = BaselineDocument.Write(
            null,
            [("KS1001", "Shop.B.M()"), ("KS1001", "<top-level> endpoint GET /x"), ("KS1001", "Shop.B.M()")],
            out var added,
            out var removed);

        Assert.Equal(BaselineDocument.DefaultHeader + "KS1001 <top-level> endpoint GET /x\nKS1001 Shop.B.M()\n", sut);
        Assert.Equal((2, 0), (added, removed));
    }

    [Fact]
    public void Write_ExistingFile_KeepsItsHeaderAndCountsChanges()
    {
        const string existing = "# Our baseline, agreed 2026-01\n\nKS1001 Old.Gone()\nKS1001   Kept.M()\n";

        var sut = BaselineDocument.Write(existing, [("KS1001", "Kept.M()"), ("KS1001", "New.M()")], out var added, out var removed);

        Assert.Equal("# Our baseline, agreed 2026-01\n\nKS1001 Kept.M()\nKS1001 New.M()\n", sut);
        Assert.Equal((1, 1), (added, removed));
    }
}
