using Killswitch.Build.Git;
using Killswitch.Build.NewCode;

namespace Killswitch.Build.Tests.Git;

public class UnifiedDiffParserTests
{
    [Fact]
    public void Parse_ModifiedFile_AddedRangesFromHunks()
    {
        const string diff = """
            diff --git a/src/App/Program.cs b/src/App/Program.cs
            index 1111111..2222222 100644
            --- a/src/App/Program.cs
            +++ b/src/App/Program.cs
            @@ -3,0 +4,3 @@ class Program
            +one
            +two
            +three
            @@ -10 +13 @@ class Program
            -old
            +new
            @@ -20,2 +23,0 @@ class Program
            -gone
            -gone too

            """;

        var sut = UnifiedDiffParser.Parse(diff);

        var entry = Assert.Single(sut);
        Assert.Equal("src/App/Program.cs", entry.OldPath);
        Assert.Equal("src/App/Program.cs", entry.NewPath);
        Assert.False(entry.IsNew);
        Assert.Equal([new LineRange(4, 6), new LineRange(13, 13)], entry.AddedLines);
        Assert.Equal([new LineRange(10, 10), new LineRange(20, 21)], entry.RemovedLines);
    }

    [Fact]
    public void Parse_OnlyAdditions_NoRemovedLines()
    {
        const string diff = """
            diff --git a/A.cs b/A.cs
            --- a/A.cs
            +++ b/A.cs
            @@ -3,0 +4,2 @@ class A
            +one
            +two
            @@ -9,0 +12 @@ class A
            +three

            """;

        var entry = Assert.Single(UnifiedDiffParser.Parse(diff));

        Assert.Equal([new LineRange(4, 5), new LineRange(12, 12)], entry.AddedLines);
        Assert.Empty(entry.RemovedLines);
    }

    [Fact]
    public void Parse_ContextLinesInsideHunk_AreNotAdded()
    {
        // What a user's diff.interHunkContext produces: two changes joined by unchanged lines.
        const string diff = """
            diff --git a/A.cs b/A.cs
            --- a/A.cs
            +++ b/A.cs
            @@ -1,3 +1,4 @@
            +added first
             unchanged
            -removed
            +replaced
             unchanged again

            """;

        var entry = Assert.Single(UnifiedDiffParser.Parse(diff));

        Assert.Equal([new LineRange(1, 1), new LineRange(3, 3)], entry.AddedLines);
        Assert.Equal([new LineRange(2, 2)], entry.RemovedLines);
    }

    [Fact]
    public void Parse_NewFile_StatusNewWithEveryLine()
    {
        const string diff = """
            diff --git a/New.cs b/New.cs
            new file mode 100644
            index 0000000..3333333
            --- /dev/null
            +++ b/New.cs
            @@ -0,0 +1,2 @@
            +class New
            +{}
            \ No newline at end of file

            """;

        var entry = Assert.Single(UnifiedDiffParser.Parse(diff));

        Assert.True(entry.IsNew);
        Assert.Null(entry.OldPath);
        Assert.Equal("New.cs", entry.NewPath);
        Assert.Equal([new LineRange(1, 2)], entry.AddedLines);
    }

    [Fact]
    public void Parse_DeletedBinaryAndModeOnly_RecognisedWithoutAddedLines()
    {
        const string diff = """
            diff --git a/Gone.cs b/Gone.cs
            deleted file mode 100644
            index 4444444..0000000
            --- a/Gone.cs
            +++ /dev/null
            @@ -1 +0,0 @@
            -class Gone {}
            diff --git a/logo.png b/logo.png
            index 5555555..6666666 100644
            Binary files a/logo.png and b/logo.png differ
            diff --git a/run.sh b/run.sh
            old mode 100644
            new mode 100755

            """;

        var sut = UnifiedDiffParser.Parse(diff);

        Assert.Equal(3, sut.Count);
        Assert.True(sut[0].IsDeleted);
        Assert.Null(sut[0].NewPath);
        Assert.True(sut[1].IsBinary);
        Assert.Equal("run.sh", sut[2].NewPath);
        Assert.All(sut, entry => Assert.Empty(entry.AddedLines));
    }

    [Fact]
    public void Parse_RenameWithEdit_KeepsBothPaths()
    {
        const string diff = """
            diff --git a/Old Name.cs b/New Name.cs
            similarity index 90%
            rename from Old Name.cs
            rename to New Name.cs
            index 7777777..8888888 100644
            --- a/Old Name.cs	
            +++ b/New Name.cs	
            @@ -5,0 +6 @@ class X
            +    int added;

            """;

        var entry = Assert.Single(UnifiedDiffParser.Parse(diff));

        Assert.True(entry.IsRenamed);
        Assert.Equal("Old Name.cs", entry.OldPath);
        Assert.Equal("New Name.cs", entry.NewPath);
        Assert.Equal([new LineRange(6, 6)], entry.AddedLines);
    }

    [Fact]
    public void Parse_QuotedPath_Unquoted()
    {
        const string diff = """
            diff --git "a/tab\there.cs" "b/tab\there.cs"
            --- "a/tab\there.cs"
            +++ "b/tab\there.cs"
            @@ -1,0 +2 @@
            +x

            """;

        var entry = Assert.Single(UnifiedDiffParser.Parse(diff));

        Assert.Equal("tab\there.cs", entry.NewPath);
    }

    [Theory]
    [InlineData("@@ -1 +1 @@", 1, 1, 1, 1)]
    [InlineData("@@ -3,0 +4,3 @@ void M()", 3, 0, 4, 3)]
    [InlineData("@@ -20,2 +23,0 @@", 20, 2, 23, 0)]
    public void TryParseHunkHeader_OmittedCountIsOne(string header, int oldStart, int oldCount, int newStart, int newCount)
    {
        Assert.True(UnifiedDiffParser.TryParseHunkHeader(header, out var actualOldStart, out var actualOldCount, out var actualNewStart, out var actualNewCount));
        Assert.Equal((oldStart, oldCount, newStart, newCount), (actualOldStart, actualOldCount, actualNewStart, actualNewCount));
    }

    [Fact]
    public void TryParseHunkHeader_NotAHunk_False()
    {
        Assert.False(UnifiedDiffParser.TryParseHunkHeader("@@ nonsense @@", out _, out _, out _, out _));
    }
}
