using Killswitch.Chaos;
using Killswitch.Chaos.Kubernetes;

// Usage: <kubeconfig> <context> <namespace> <journal-dir> <latency-ms>
if (args.Length != 5)
{
    Console.Error.WriteLine("Usage: Killswitch.Chaos.Kubernetes.TestDriver <kubeconfig> <context> <namespace> <journal-dir> <latency-ms>");
    return 2;
}

var system = new SystemUnderTest(
[
    new ServiceDefinition("payments")
        .WithLabel("app", "payments")
        .AddRuntime(KubernetesRuntime.FromImage("killswitch/chaos-testapp:1", 8080, ["--service", "payments", "--urls", "http://0.0.0.0:8080"])),
]);
var options = new KubernetesTargetOptions
{
    Cluster = ClusterProvider.Existing(args[0], args[1]),
    Namespace = args[2],
    JournalDirectory = args[3],
    // kind's ClusterIPs are not routable from the host; its nodes' addresses are (as in the tests' own options).
    EndpointMode = args[1].StartsWith("kind-", StringComparison.Ordinal) ? EndpointMode.NodePort : EndpointMode.ClusterIP,
};
options.AllowedContexts.Add(args[1]);
options.AllowedNamespaces.Add(args[2]);

// Never disposed: the process is SIGKILLed with the fault in force.
var target = new KubernetesTarget(system, options);
await target.StartAsync();
var pods = await target.GetInstancesAsync();
var latency = new LatencyOptions { Selector = "app=payments", Latency = TimeSpan.FromMilliseconds(int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)) };
await target.InjectAsync(new FaultInjection("latency-1-1", latency, pods, new Random(1), new ChaosTimeline()));
Console.WriteLine($"READY {target.JournalPath} {target.GetEndpoint("payments")}");
await Console.Out.FlushAsync();
await Task.Delay(Timeout.Infinite);
return 0;
