using System;
using Killswitch.Build.NewCode;
using Microsoft.CodeAnalysis.Text;
using AnalyzerMap = Killswitch.Analyzers.NewCode.NewCodeMap;
using AnalyzerScope = Killswitch.Analyzers.NewCode.NewCodeScope;

namespace Killswitch.Build.Tests.NewCode;

/// <summary>What the task writes is read back with the analyzer's own parser: the hand-over contract.</summary>
public class NewCodeDocumentTests
{
    [Fact]
    public void Write_ChangedFiles_AnalyzerReadsEveryRecord()
    {
        var modified = new ChangedFile("/repo/src/App/Program.cs", ChangedFileStatus.Modified)
        {
            BasePath = "src/App/Old.cs",
            IsRenamed = true,
            BaseTextPath = "/repo/src/App/obj/killswitch/base/1-Program.cs.killswitch-base",
        };
        modified.AddedLines.AddRange([new LineRange(3, 5), new LineRange(9, 9)]);
        modified.RemovedLines.Add(new LineRange(4, 4));
        var added = new ChangedFile("/repo/src/App/New.cs", ChangedFileStatus.Added);
        added.AddedLines.Add(new LineRange(1, 12));
        var untracked = new ChangedFile("C:\\repo\\src\\App\\Scratch.cs", ChangedFileStatus.Untracked);
        var result = NewCodeResult.Succeeded("origin/main", "3f2a1b2c", "/repo/", [modified, added, untracked]);

        var text = NewCodeDocument.Write(NewCodeScope.Changed, result);
        var sut = AnalyzerMap.Parse(SourceText.From(text), out var error);

        Assert.Null(error);
        Assert.NotNull(sut);
        Assert.Equal(AnalyzerScope.Changed, sut.Scope);
        Assert.Equal("origin/main", sut.BaseRef);
        Assert.Equal("3f2a1b2c", sut.MergeBase);
        var program = sut.Find("/repo/src/App/Program.cs")!;
        Assert.Equal([(3, 5), (9, 9)], program.AddedLines);
        Assert.Equal([(4, 4)], program.RemovedLines);
        Assert.False(program.OnlyAddsLines);
        Assert.False(program.IsWhollyNew);
        Assert.Equal("/repo/src/App/obj/killswitch/base/1-Program.cs.killswitch-base", program.BaseTextPath);
        Assert.True(sut.Find("/repo/src/App/New.cs")!.IsWhollyNew);
        Assert.True(sut.Find("C:/repo/src/App/Scratch.cs")!.IsWhollyNew);
        Assert.Null(sut.Find("/repo/src/App/Unchanged.cs"));
    }

    [Fact]
    public void Write_ModificationThatOnlyAddsLines_AnalyzerKnowsNothingWasRemoved()
    {
        var modified = new ChangedFile("/repo/src/App/Program.cs", ChangedFileStatus.Modified) { BaseTextPath = "/repo/obj/1-Program.cs.killswitch-base" };
        modified.AddedLines.Add(new LineRange(7, 9));
        var result = NewCodeResult.Succeeded("origin/main", "3f2a1b2c", "/repo/", [modified]);

        var text = NewCodeDocument.Write(NewCodeScope.Changed, result);
        var sut = AnalyzerMap.Parse(SourceText.From(text), out var error);

        Assert.Null(error);
        Assert.StartsWith("killswitch-newcode\t2\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("removed", text, StringComparison.Ordinal);
        Assert.True(sut!.Find("/repo/src/App/Program.cs")!.OnlyAddsLines);
    }

    [Fact]
    public void Parse_Version1File_StillReadAndComparedWithTheBase()
    {
        const string text = "killswitch-newcode\t1\nscope\tChanged\nfile\t/repo/A.cs\nstatus\tmodified\nadded\t2-3\nbase-text\t/repo/obj/A.cs.killswitch-base\n";

        var sut = AnalyzerMap.Parse(SourceText.From(text), out var error);

        Assert.Null(error);
        var file = sut!.Find("/repo/A.cs")!;
        Assert.Equal([(2, 3)], file.AddedLines);
        Assert.False(file.OnlyAddsLines); // version 1 cannot say that nothing was removed
    }

    [Fact]
    public void Parse_UnknownVersion_ErrorNamesTheExpectedHeader()
    {
        var sut = AnalyzerMap.Parse(SourceText.From("killswitch-newcode\t3\nscope\tChanged\n"), out var error);

        Assert.Null(sut);
        Assert.Equal("line 1: expected the header 'killswitch-newcode<TAB>2' (or version 1)", error);
    }

    [Theory]
    [InlineData("All", AnalyzerScope.All)]
    [InlineData("None", AnalyzerScope.None)]
    public void Write_ScopeWithoutGit_AnalyzerReadsScope(string scope, AnalyzerScope expected)
    {
        var sut = AnalyzerMap.Parse(SourceText.From(NewCodeDocument.Write(Enum.Parse<NewCodeScope>(scope), result: null)), out var error);

        Assert.Null(error);
        Assert.Equal(expected, sut!.Scope);
        Assert.Empty(sut.Files);
    }

    [Fact]
    public void Write_Problem_AnalyzerIgnoresTheExtraKeysAndSummaryReadsThem()
    {
        var result = NewCodeResult.Failed(new NewCodeProblem("KSB004", "This is a shallow clone.\nFetch more."), "origin/main", "/repo/");

        var text = NewCodeDocument.Write(NewCodeScope.None, result);
        var sut = AnalyzerMap.Parse(SourceText.From(text), out var error);
        var header = NewCodeDocument.ReadHeader(text, out var fileCount);

        Assert.Null(error);
        Assert.Equal(AnalyzerScope.None, sut!.Scope);
        Assert.Equal("KSB004 This is a shallow clone. Fetch more.", header["problem"]);
        Assert.Equal("/repo/", header["repository-root"]);
        Assert.Equal(0, fileCount);
    }
}
