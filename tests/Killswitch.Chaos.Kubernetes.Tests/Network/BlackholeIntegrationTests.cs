using Killswitch.Chaos.Kubernetes.Tests.Infrastructure;

namespace Killswitch.Chaos.Kubernetes.Tests.Network;

[Trait("Category", "Integration")]
[Collection(ClusterGroup.Name)]
public sealed class BlackholeIntegrationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "killswitch-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [ClusterFact]
    public async Task Blackhole_OnPaymentsPod_PartitionsItsPortThroughDrop_RevertRestoresService()
    {
        ClusterAssert.Available();
        await using var sut = new KubernetesTarget(TestCluster.System(paymentsReplicas: 1), TestCluster.Options(_directory));
        await sut.StartAsync();
        using var http = TestCluster.Http();
        http.Timeout = TimeSpan.FromSeconds(2);
        var payments = new Uri(sut.GetEndpoint("payments"), "/health/ready");
        await TestCluster.MedianAsync(http, payments);
        var pods = (await sut.GetInstancesAsync()).Where(i => i.Service == "payments").ToArray();
        var timeline = new ChaosTimeline();

        var handle = await sut.InjectAsync(new FaultInjection("blackhole-1-1", new BlackholeOptions { Selector = "app=payments" }, pods, new Random(1), timeline));
        Exception? during;
        FaultProof proof;
        try
        {
            during = await Record.ExceptionAsync(() => http.GetAsync(payments));
            proof = await handle.VerifyAsync();
        }
        finally
        {
            await handle.RevertAsync();
        }

        // The partition failed the kubelet's readiness probes too, so the Service dropped the pod, as a real partition
        // does: it answers again once the probe passes (seconds), not at the revert's instant.
        var recovery = System.Diagnostics.Stopwatch.StartNew();
        while (!await AnswersAsync(http, payments) && recovery.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(250);
        }

        var restored = await TestCluster.MedianAsync(http, payments);

        Assert.IsAssignableFrom<TaskCanceledException>(during);
        Assert.True(proof.TookEffect, proof.Message);
        Assert.Contains("(drop)", proof.Message, StringComparison.Ordinal);
        Assert.Contains("byte(s) swallowed", proof.Message, StringComparison.Ordinal);
        Assert.True(restored < TimeSpan.FromSeconds(1), $"after revert payments answered in {restored.TotalMilliseconds:0} ms");
        Assert.Matches(" via drop", Assert.Single(timeline.Events, e => e.Name == KubernetesEventNames.HelperReady).Detail!);
        Assert.Empty(ChaosJournal.Read(sut.JournalPath).Faults);
        Console.WriteLine($"kubernetes blackhole: {proof.Message}; answering again {recovery.Elapsed.TotalSeconds:0.0} s after revert, then {restored.TotalMilliseconds:0.0} ms");
    }

    private static async Task<bool> AnswersAsync(HttpClient http, Uri uri)
    {
        try
        {
            using var response = await http.GetAsync(uri);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
