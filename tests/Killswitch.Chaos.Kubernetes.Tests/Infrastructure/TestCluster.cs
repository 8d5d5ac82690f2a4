using System.Diagnostics;
using System.Reflection;
using k8s;

namespace Killswitch.Chaos.Kubernetes.Tests.Infrastructure;

/// <summary>
/// The cluster the integration tests run against: the kubeconfig in <c>KILLSWITCH_KUBECONFIG</c> (else
/// <c>KUBECONFIG</c>, else <c>~/.kube/config</c>) and the context in <c>KILLSWITCH_KUBE_CONTEXT</c> (else the current
/// one). Checked once: the kubeconfig loads and the API server answers <c>/version</c> within a few seconds.
/// </summary>
internal static class TestCluster
{
    private static readonly Lazy<(string? Kubeconfig, string? Context, string? Problem)> Probe = new(ProbeCluster);

    public const string TestAppImage = "killswitch/chaos-testapp:1";

    public static string? Kubeconfig => Probe.Value.Kubeconfig;

    public static string? Context => Probe.Value.Context;

    /// <summary>Why no cluster can be used, or null when one can.</summary>
    public static string? Problem => Probe.Value.Problem;

    public static string DriverPath { get; } = typeof(TestCluster).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestDriverPath").Value!;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Options for a target on the test cluster, its context allowed whatever its name (a kind cluster, the CI cluster).</summary>
    public static KubernetesTargetOptions Options(string? journalDirectory = null)
    {
        var options = new KubernetesTargetOptions
        {
            Cluster = ClusterProvider.Existing(Kubeconfig, Context),
            JournalDirectory = journalDirectory ?? ChaosJournal.DefaultDirectory,
            RolloutTimeout = TimeSpan.FromMinutes(3),
            // kind's ClusterIPs are not routable from the host; its nodes' addresses are (on Linux).
            EndpointMode = Context?.StartsWith("kind-", StringComparison.Ordinal) == true ? EndpointMode.NodePort : EndpointMode.ClusterIP,
        };
        if (Context is { } context && !options.AllowedContexts.Contains(context))
        {
            options.AllowedContexts.Add(context);
        }

        return options;
    }

    /// <summary>payments (calls nothing) and checkout (calls payments), from the chaos tests' own app.</summary>
    public static SystemUnderTest System(int paymentsReplicas = 2, int checkoutReplicas = 1, TimeSpan? preStopDelay = null) => new(
    [
        new ServiceDefinition("checkout")
            .WithLabel("app", "checkout")
            .WithReplicas(checkoutReplicas)
            .AddDependency("payments", "PAYMENTS_URL")
            .AddRuntime(TestAppRuntime("checkout", preStopDelay)),
        new ServiceDefinition("payments")
            .WithLabel("app", "payments")
            .WithReplicas(paymentsReplicas)
            .AddRuntime(TestAppRuntime("payments", preStopDelay)),
    ]);

    private static KubernetesRuntime TestAppRuntime(string service, TimeSpan? preStopDelay)
    {
        var runtime = KubernetesRuntime.FromImage(TestAppImage, 8080, ["--service", service, "--urls", "http://0.0.0.0:8080"]);
        runtime.PreStopDelay = preStopDelay;
        return runtime;
    }

    public static IKubernetes Client()
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig, currentContext: Context);
        return new k8s.Kubernetes(config);
    }

    /// <summary>Median of <paramref name="count"/> sequential GETs: robust to the odd slow answer on a busy machine.</summary>
    public static async Task<TimeSpan> MedianAsync(HttpClient http, Uri uri, int count = 9, CancellationToken cancellationToken = default)
    {
        var samples = new List<TimeSpan>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(uri, cancellationToken);
            response.EnsureSuccessStatusCode();
            samples.Add(Stopwatch.GetElapsedTime(started));
        }

        samples.Sort();
        return samples[count / 2];
    }

    public static HttpClient Http() => new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(20) };

    private static (string?, string?, string?) ProbeCluster()
    {
        var path = Environment.GetEnvironmentVariable(KubernetesTargetConstants.KubeconfigVariable);
        if (string.IsNullOrEmpty(path))
        {
            path = Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        }

        var context = Environment.GetEnvironmentVariable(KubernetesTargetConstants.ContextVariable);
        context = string.IsNullOrEmpty(context) ? null : context;
        if (!File.Exists(path))
        {
            return (null, null, $"no kubeconfig at {path}: start the CI cluster (build/k8s/ci.sh start, which exports {KubernetesTargetConstants.KubeconfigVariable}) or a kind cluster (docs/targets/kubernetes.md)");
        }

        try
        {
            var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, currentContext: context);
            context ??= KubernetesClientConfiguration.LoadKubeConfig(path).CurrentContext;
            using var client = new k8s.Kubernetes(config);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            client.Version.GetCodeAsync(cts.Token).GetAwaiter().GetResult();
            return (path, context, null);
        }
#pragma warning disable CA1031 // Any failure means "no usable cluster"; the message says which.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (null, null, $"the cluster of {path} (context {context ?? "current"}) does not answer: {ex.GetType().Name}: {ex.Message}");
        }
    }
}

/// <summary>
/// A test that needs a Kubernetes cluster: skipped with the reason when none is reachable, except when <c>CI=true</c>,
/// where it runs and fails (a skip in CI is broken CI).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute()
    {
        if (TestCluster.Problem is { } problem && !TestCluster.InCi)
        {
            Skip = "No Kubernetes cluster: " + problem + ".";
        }
    }
}

/// <summary>Integration tests share one cluster: run them one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterGroup
{
    public const string Name = "Kubernetes cluster";
}
