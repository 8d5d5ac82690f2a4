using System.Diagnostics;
using System.Globalization;
using k8s;
using Killswitch.Chaos;
using Killswitch.Chaos.Kubernetes;

// KILLSWITCH_KUBECONFIG=... KILLSWITCH_KUBE_CONTEXT=... dotnet run -c Release --project tests/Killswitch.Chaos.Kubernetes.Benchmarks -- [rounds]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var context = Environment.GetEnvironmentVariable(KubernetesTargetConstants.ContextVariable);
var options = new KubernetesTargetOptions { Cluster = ClusterProvider.Existing(), MaxPodKillShare = 1 };
if (!string.IsNullOrEmpty(context))
{
    options.AllowedContexts.Add(context);
}

const string Image = "killswitch/chaos-testapp:1";
var system = new SystemUnderTest(
[
    new ServiceDefinition("payments").WithLabel("app", "payments").WithReplicas(2)
        .AddRuntime(KubernetesRuntime.FromImage(Image, 8080, ["--service", "payments", "--urls", "http://0.0.0.0:8080"])),
]);

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; {rounds} rounds");
var started = Stopwatch.GetTimestamp();
await using var target = new KubernetesTarget(system, options);
await target.StartAsync();
var deploy = Stopwatch.GetElapsedTime(started);
Console.WriteLine($"Deploy (namespace + Service + 2-replica Deployment, rolled out): {deploy.TotalSeconds:0.00} s");

using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(20) };
var endpoint = new Uri(target.GetEndpoint("payments"), "/health/ready");
List<double> graceful = [], forced = [], inject = [], revert = [], gone = [], added = [];
for (var i = 0; i < rounds; i++)
{
    foreach (var (force, into) in new[] { (false, graceful), (true, forced) })
    {
        var pods = (await target.GetInstancesAsync()).Where(p => p.State == InstanceState.Ready).Take(1).ToArray();
        var kill = new PodKillOptions { Selector = "app=payments", Force = force, GracePeriod = TimeSpan.FromSeconds(1) };
        var handle = await target.InjectAsync(new FaultInjection($"pod-kill-{i}", kill, pods, new Random(i), new ChaosTimeline()));
        var proof = await handle.VerifyAsync();
        await handle.RevertAsync();
        if (!proof.TookEffect || proof.RecoveryTime is not { } recovery)
        {
            throw new InvalidOperationException(proof.Message);
        }

        into.Add(recovery.TotalMilliseconds);
    }

    var baseline = await MedianAsync(endpoint, 5);
    var all = await target.GetInstancesAsync();
    var latency = new LatencyOptions { Selector = "app=payments", Latency = TimeSpan.FromMilliseconds(100) };
    var t = Stopwatch.GetTimestamp();
    var fault = await target.InjectAsync(new FaultInjection($"latency-{i}", latency, all, new Random(i), new ChaosTimeline()));
    inject.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    added.Add((await MedianAsync(endpoint, 5) - baseline).TotalMilliseconds);
    t = Stopwatch.GetTimestamp();
    await fault.RevertAsync();
    revert.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);

    // What revert used to wait for (up to 90 s): the kubelet's tear-down of the helper pod after the agent is done.
    while ((await target.Client.CoreV1.ListNamespacedPodAsync(target.Namespace, labelSelector: "killswitch.dev/role=fault-helper")).Items.Count > 0)
    {
        await Task.Delay(100);
    }

    gone.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
}

Console.WriteLine();
Console.WriteLine("| step | median | min | max |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
Row("PodKill graceful (grace 1 s): delete → replacement Ready", graceful);
Row("PodKill forced (grace 0): delete → replacement Ready", forced);
Row("Latency inject: helper pod created → agent reports the fault in force", inject);
Row("Latency revert: helper pod deleted → agent reports its rules out (what RevertAsync waits for)", revert);
Row("Latency revert: helper pod deleted → pod gone from the API (the kubelet's tear-down)", gone);
Row("Latency added to a GET through the Service (100 ms injected)", added);

void Row(string name, List<double> values)
{
    values.Sort();
    Console.WriteLine($"| {name} | {values[values.Count / 2]:0} ms | {values[0]:0} ms | {values[^1]:0} ms |");
}

async Task<TimeSpan> MedianAsync(Uri uri, int count)
{
    var samples = new List<TimeSpan>();
    for (var i = 0; i < count; i++)
    {
        var s = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(uri);
        response.EnsureSuccessStatusCode();
        samples.Add(Stopwatch.GetElapsedTime(s));
    }

    samples.Sort();
    return samples[count / 2];
}
