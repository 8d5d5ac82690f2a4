namespace Killswitch.Chaos.Kubernetes.Tests.Safety;

public sealed class SafetyGuardTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "killswitch-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("kind-*", "kind-killswitch", true)]
    [InlineData("kind-*", "kind-", true)]
    [InlineData("kind-*", "prod-kind-a", false)]
    [InlineData("killswitch-ci", "killswitch-ci", true)]
    [InlineData("killswitch-ci", "killswitch-ci2", false)]
    [InlineData("*", "anything", true)]
    [InlineData("a.b", "axb", false)]
    public void GlobMatches_StarIsAnyRun_OtherCharactersLiteral(string pattern, string value, bool expected) =>
        Assert.Equal(expected, KubernetesNames.GlobMatches(pattern, value));

    [Theory]
    [InlineData(1, 0.5, 1)]
    [InlineData(2, 0.5, 1)]
    [InlineData(3, 0.5, 1)]
    [InlineData(4, 0.5, 2)]
    [InlineData(10, 0.25, 2)]
    [InlineData(3, 1.0, 3)]
    public void MaxVictims_ShareRoundedDown_AtLeastOne(int pods, double share, int expected) =>
        Assert.Equal(expected, SafetyGuard.MaxVictims(pods, share));

    [Fact]
    public async Task Start_ContextNotAllowed_RefusedBeforeContactingTheCluster()
    {
        // The server address is unroutable on purpose: the refusal must come before any request is made.
        var kubeconfig = WriteKubeconfig("prod-eu-1", "https://192.0.2.1:6443");
        var options = new KubernetesTargetOptions { Cluster = ClusterProvider.Existing(kubeconfig, "prod-eu-1"), JournalDirectory = _directory };
        await using var sut = new KubernetesTarget(new SystemUnderTest([Payments()]), options);

        var ex = await Assert.ThrowsAsync<ChaosTargetException>(() => sut.StartAsync().AsTask());

        Assert.StartsWith($"Refusing to run chaos in kube context 'prod-eu-1' (kubeconfig '{kubeconfig}'): it is not in AllowedContexts (kind-*, killswitch-ci).", ex.Message, StringComparison.Ordinal);
        Assert.Contains("KubernetesTargetOptions.AllowedContexts.Add(\"prod-eu-1\")", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_directory, "*.json"));
    }

    [Fact]
    public async Task Start_NamespaceNotAllowed_RefusedWithHowToAllow()
    {
        var kubeconfig = WriteKubeconfig("kind-dev", "https://192.0.2.1:6443");
        var options = new KubernetesTargetOptions { Cluster = ClusterProvider.Existing(kubeconfig, "kind-dev"), Namespace = "default", JournalDirectory = _directory };
        await using var sut = new KubernetesTarget(new SystemUnderTest([Payments()]), options);

        var ex = await Assert.ThrowsAsync<ChaosTargetException>(() => sut.StartAsync().AsTask());

        Assert.StartsWith("Refusing to run chaos in namespace 'default': it is not in AllowedNamespaces (killswitch-*).", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AllowedNamespaces.Add(\"default\")", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ContextMissingFromKubeconfig_ListsTheContextsThereAre()
    {
        var kubeconfig = WriteKubeconfig("kind-dev", "https://192.0.2.1:6443");
        var options = new KubernetesTargetOptions { Cluster = ClusterProvider.Existing(kubeconfig, "kind-other"), JournalDirectory = _directory };
        await using var sut = new KubernetesTarget(new SystemUnderTest([Payments()]), options);

        var ex = await Assert.ThrowsAsync<ChaosTargetException>(() => sut.StartAsync().AsTask());

        Assert.Equal($"Kubeconfig '{kubeconfig}' has no context 'kind-other'. Its contexts: kind-dev. Pass the context to ClusterProvider.Existing(path, context) or set KILLSWITCH_KUBE_CONTEXT.", ex.Message);
    }

    private static ServiceDefinition Payments() =>
        new ServiceDefinition("payments").WithLabel("app", "payments").AddRuntime(KubernetesRuntime.FromImage("killswitch/chaos-testapp:1"));

    private string WriteKubeconfig(string context, string server)
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {"{"}server: "{server}", insecure-skip-tls-verify: true{"}"}
            users:
            - name: u
              user: {"{"}token: "not-a-real-token"{"}"}
            contexts:
            - name: {context}
              context: {"{"}cluster: c, user: u{"}"}
            current-context: {context}
            """);
        return path;
    }
}
