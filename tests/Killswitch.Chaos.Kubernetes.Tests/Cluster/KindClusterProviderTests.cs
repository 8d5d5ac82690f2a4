namespace Killswitch.Chaos.Kubernetes.Tests.Cluster;

public sealed class KindClusterProviderTests
{
    [Fact]
    public async Task Connect_KindCliMissing_ThrowsWithInstallHintAndAlternative()
    {
        // kind is not installable on the project's machines; this pins the error a user without it sees.
        var sut = new KindClusterProvider("killswitch", null, []) { KindExecutable = "kind-not-installed-" + Guid.NewGuid().ToString("N")[..6] };

        var ex = await Assert.ThrowsAsync<ChaosTargetException>(() => sut.ConnectAsync(CancellationToken.None));

        Assert.Contains("could not be started", ex.Message, StringComparison.Ordinal);
        Assert.Contains("https://kind.sigs.k8s.io/docs/user/quick-start/#installation", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClusterProvider.Existing(kubeconfig, context)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_InvalidClusterName_ThrowsBeforeRunningKind()
    {
        var sut = new KindClusterProvider("Bad_Name", null, []) { KindExecutable = "/bin/false" };

        var ex = await Assert.ThrowsAsync<ChaosTargetException>(() => sut.ConnectAsync(CancellationToken.None));

        Assert.Equal("kind cluster name 'Bad_Name' is not valid: use lower-case letters, digits and '-'.", ex.Message);
    }

    [SkippableFact]
    public async Task Connect_KindFails_ReportsCommandExitCodeAndStderr()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new SkipException("The fake kind is a shell script.");
        }

        var script = Path.Combine(Path.GetTempPath(), "fake-kind-" + Guid.NewGuid().ToString("N") + ".sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'ERROR: failed to list clusters' >&2\nexit 7\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var sut = new KindClusterProvider("killswitch", null, []) { KindExecutable = script };

            var ex = await Assert.ThrowsAsync<ChaosTargetException>(() => sut.ConnectAsync(CancellationToken.None));

            Assert.Equal("'kind get clusters' failed with exit code 7: ERROR: failed to list clusters", ex.Message);
        }
        finally
        {
            File.Delete(script);
        }
    }
}
