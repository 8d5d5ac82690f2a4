using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Killswitch.Chaos.Kubernetes.Tests;

public sealed class KubernetesTargetFactoryTests
{
    [Fact]
    public void Assembly_NamesTheFactory_SoKillswitchTargetKubernetesFindsIt()
    {
        var attribute = typeof(KubernetesTarget).Assembly.GetCustomAttribute<ChaosTargetFactoryAttribute>();

        Assert.Equal(typeof(KubernetesTargetFactory), attribute?.FactoryType);
        Assert.Equal("kubernetes", new KubernetesTargetFactory().Name);
    }

    [Fact]
    public async Task CheckAvailability_NoKubeconfig_UnavailableWithHowToGetOne()
    {
        var sut = new KubernetesTargetFactory(() => new KubernetesTargetOptions { Cluster = ClusterProvider.Existing("/nonexistent/kubeconfig") });

        var availability = await sut.CheckAvailabilityAsync();

        Assert.False(availability.IsAvailable);
        Assert.StartsWith("No usable Kubernetes cluster: No kubeconfig at '/nonexistent/kubeconfig'.", availability.Reason, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(availability.Reason!, Regex.Escape("See docs/targets/kubernetes.md")));
    }

    [Theory]
    [InlineData("kind-killswitch", EndpointMode.NodePort)]
    [InlineData("killswitch-ci", EndpointMode.ClusterIP)]
    public void DefaultOptions_ContextFromEnvironment_AllowedAndReachedTheWayThatClusterRoutes(string context, EndpointMode expected)
    {
        var options = KubernetesTargetFactory.DefaultOptions(name => name == KubernetesTargetConstants.ContextVariable ? context : null);

        Assert.Contains(context, options.AllowedContexts);
        Assert.Equal(expected, options.EndpointMode);
    }

    [Fact]
    public async Task Create_LoopbackUrlInEnvironment_RelayedToTheHostAddress_OtherValuesKept()
    {
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        var port = ((IPEndPoint)backend.LocalEndpoint).Port;
        var runtime = KubernetesRuntime.FromImage("img:1");
        runtime.Environment["MODE"] = "own";
        var system = new SystemUnderTest([new ServiceDefinition("payments").AddRuntime(runtime)]);
        var sut = new KubernetesTargetFactory(() => new KubernetesTargetOptions { Cluster = ClusterProvider.Existing("/nonexistent"), HostAddress = IPAddress.Loopback });

        await using var target = sut.Create(new ChaosTargetRequest(system, new Dictionary<string, string>
        {
            ["OFREP_URL"] = $"http://127.0.0.1:{port}/",
            ["MODE"] = "request",
            ["OTHER"] = "http://example.com/",
        }));

        var relayed = new Uri(runtime.Environment["OFREP_URL"]);
        Assert.Equal(("own", "http://example.com/"), (runtime.Environment["MODE"], runtime.Environment["OTHER"]));
        Assert.NotEqual(port, relayed.Port);
        using var client = new TcpClient();
        await client.ConnectAsync(relayed.Host, relayed.Port);
        await client.GetStream().WriteAsync("ping"u8.ToArray());
        using var accepted = await backend.AcceptTcpClientAsync();
        var buffer = new byte[4];
        await accepted.GetStream().ReadExactlyAsync(buffer);
        Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(buffer));
    }
}
