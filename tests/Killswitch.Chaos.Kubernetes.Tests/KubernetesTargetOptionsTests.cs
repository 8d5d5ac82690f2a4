namespace Killswitch.Chaos.Kubernetes.Tests;

public sealed class KubernetesTargetOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedConstants()
    {
        var sut = new KubernetesTargetOptions();

        Assert.Equal(["kind-*", "killswitch-ci"], sut.AllowedContexts);
        Assert.Equal(["killswitch-*"], sut.AllowedNamespaces);
        Assert.Equal(0.5, sut.MaxPodKillShare);
        Assert.Equal("killswitch/tools:1", sut.HelperImage);
        Assert.Equal(EndpointMode.ClusterIP, sut.EndpointMode);
        Assert.Equal(TimeSpan.FromMinutes(3), sut.RolloutTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), sut.HelperTimeout);
        Assert.Equal(TimeSpan.FromHours(1), sut.MaxFaultLifetime);
        Assert.False(sut.DryRun);
        Assert.Null(sut.Namespace);
        Assert.Null(sut.Cluster);
    }

    [Fact]
    public void Validate_EveryProblem_ListedInOneException()
    {
        var sut = new KubernetesTargetOptions { Namespace = "Not_Valid", MaxPodKillShare = 0, HelperImage = " ", RolloutTimeout = TimeSpan.Zero };
        sut.AllowedContexts.Clear();

        var ex = Assert.Throws<ChaosValidationException>(sut.Validate);

        Assert.Equal(
            [
                "Cluster is required: ClusterProvider.Kind(\"name\") for a kind cluster, or ClusterProvider.Existing(kubeconfig, context).",
                "Namespace 'Not_Valid' is not a valid namespace name (lower-case letters, digits and '-', at most 63).",
                "AllowedContexts is empty, so no cluster is allowed. Add the context to allow (for example \"kind-*\").",
                "MaxPodKillShare must be greater than 0 and at most 1 (was 0).",
                "HelperImage is required.",
                "RolloutTimeout must be greater than zero (was 0 ms).",
            ],
            ex.Errors);
        Assert.Equal("kubernetes", ex.Target);
    }

    [Fact]
    public void Constructor_ServiceWithoutKubernetesRuntime_ThrowsNamingTheService()
    {
        var system = new SystemUnderTest([new ServiceDefinition("payments")]);

        var ex = Assert.Throws<ChaosValidationException>(() => new KubernetesTarget(system, new KubernetesTargetOptions { Cluster = ClusterProvider.Existing("/nonexistent") }));

        Assert.Contains("Service 'payments' has no KubernetesRuntime", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }
}
