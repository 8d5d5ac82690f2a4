namespace Killswitch.Chaos.Kubernetes.Tests;

public sealed class KubernetesRuntimeTests
{
    [Fact]
    public void Render_FromImage_SetsNameReplicasSelectorLabelsProbeAndEnvironment()
    {
        var service = new ServiceDefinition("payments").WithLabel("app", "payments").WithReplicas(3);
        var sut = KubernetesRuntime.FromImage("killswitch/chaos-testapp:1", 8080, ["--service", "payments"]);
        sut.Environment["FEATURE_X"] = "on";

        var deployment = sut.Render(service, "killswitch-abc", new Dictionary<string, string> { ["killswitch.dev/run-id"] = "ks-1" }, new Dictionary<string, string> { ["PAYMENTS_URL"] = "http://10.0.0.5" });

        Assert.Equal(("payments", "killswitch-abc", 3), (deployment.Metadata.Name, deployment.Metadata.NamespaceProperty, deployment.Spec.Replicas));
        Assert.Equal(new Dictionary<string, string> { ["killswitch.dev/service"] = "payments" }, deployment.Spec.Selector.MatchLabels);
        Assert.Equal(
            new Dictionary<string, string> { ["app"] = "payments", ["killswitch.dev/service"] = "payments", ["killswitch.dev/run-id"] = "ks-1" },
            deployment.Spec.Template.Metadata.Labels);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("/health/ready", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("8080", container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Equal(["FEATURE_X=on", "PAYMENTS_URL=http://10.0.0.5"], container.Env.Select(e => $"{e.Name}={e.Value}"));
        Assert.Equal(["--service", "payments"], container.Args);
    }

    [Fact]
    public void Render_PreStopDelay_SleepsBeforeSigtermAndStretchesTheGracePeriod()
    {
        var sut = KubernetesRuntime.FromImage("img:1");
        sut.PreStopDelay = TimeSpan.FromMilliseconds(2500);

        var deployment = sut.Render(new ServiceDefinition("a"), "ns", new Dictionary<string, string>(), new Dictionary<string, string>());

        Assert.Equal(["sleep", "3"], deployment.Spec.Template.Spec.Containers[0].Lifecycle.PreStop.Exec.Command);
        Assert.Equal(8, deployment.Spec.Template.Spec.TerminationGracePeriodSeconds);
        Assert.Null(KubernetesRuntime.FromImage("img:1").Render(new ServiceDefinition("a"), "ns", new Dictionary<string, string>(), new Dictionary<string, string>()).Spec.Template.Spec.Containers[0].Lifecycle);
    }

    [Fact]
    public void PreStopDelay_NotPositive_ThrowsWithTheFix()
    {
        var sut = KubernetesRuntime.FromImage("img:1");

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => sut.PreStopDelay = TimeSpan.Zero);

        Assert.StartsWith("PreStopDelay must be greater than zero; leave it null for no preStop hook.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DoesNotChangeTheTemplate()
    {
        var sut = KubernetesRuntime.FromImage("img:1");

        _ = sut.Render(new ServiceDefinition("a"), "ns", new Dictionary<string, string>(), new Dictionary<string, string> { ["X"] = "1" });

        Assert.Null(sut.Template.Metadata.Name);
        Assert.Null(sut.Template.Spec.Template.Spec.Containers[0].Env);
    }

    [Fact]
    public void FromManifest_TakesTheDeploymentAndItsFirstPort()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, """
            apiVersion: v1
            kind: Service
            metadata: {name: shop}
            spec: {ports: [{port: 80}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: shop}
            spec:
              selector: {matchLabels: {app: shop}}
              template:
                metadata: {labels: {app: shop}}
                spec:
                  containers:
                  - name: shop
                    image: shop:1
                    ports: [{containerPort: 5000}]
            """);
        try
        {
            var sut = KubernetesRuntime.FromManifest(path);

            Assert.Equal(5000, sut.Port);
            Assert.Equal("shop:1", sut.Template.Spec.Template.Spec.Containers[0].Image);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromManifest_NoDeployment_ThrowsSayingWhatIsNeeded()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        try
        {
            var ex = Assert.Throws<ChaosValidationException>(() => KubernetesRuntime.FromManifest(path));

            Assert.Equal("It contains no apps/v1 Deployment; KubernetesRuntime.FromManifest needs one.", Assert.Single(ex.Errors));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
