using Killswitch.Flags.Matrix;

namespace Killswitch.Flags.Delivery.Tests;

public sealed class FlagdFileDeliveryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("killswitch-flagd-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task WriteAsync_Assignment_PinsSelectedVariantsAndKeepsTheOtherFlags()
    {
        var manifest = TestManifest.Load();
        var path = Path.Combine(_directory, "flags", "flags.json");

        await FlagdFileDelivery.WriteAsync(manifest, VariantAssignment.Parse("checkout-flow=wizard,retired-banner=shown"), path);
        var sut = FlagManifest.Parse(path, await File.ReadAllTextAsync(path));

        Assert.Empty(sut.Diagnostics);
        Assert.Equal(manifest.Flags.Select(f => f.Key), sut.Flags.Select(f => f.Key));
        var flow = sut.Find("checkout-flow")!;
        Assert.Equal("wizard", flow.DefaultVariant);
        Assert.False(flow.HasTargeting);
        Assert.Equal(FlagState.Enabled, sut.Find("retired-banner")!.State);
        Assert.Equal("off", sut.Find("new-checkout")!.DefaultVariant);
        Assert.Null(sut.Find("from-code")!.DefaultVariant);
        Assert.Equal(["flags.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task WriteAsync_Twice_ReplacesTheFileAndLeavesNoTemporaryFile()
    {
        var manifest = TestManifest.Load();
        var path = Path.Combine(_directory, "flags.json");

        await FlagdFileDelivery.WriteAsync(manifest, VariantAssignment.Parse("new-checkout=on"), path);
        await FlagdFileDelivery.WriteAsync(manifest, VariantAssignment.Parse("new-checkout=off,max-items=many"), path);

        Assert.Equal(FlagdFileDelivery.Render(manifest, VariantAssignment.Parse("new-checkout=off,max-items=many")), await File.ReadAllTextAsync(path));
        Assert.Equal(["flags.json"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task WriteAsync_UnknownVariant_ThrowsAndWritesNothing()
    {
        var path = Path.Combine(_directory, "flags.json");

        await Assert.ThrowsAsync<ArgumentException>(() => FlagdFileDelivery.WriteAsync(TestManifest.Load(), VariantAssignment.Parse("new-checkout=maybe"), path));

        Assert.Empty(Directory.GetFiles(_directory));
    }
}
