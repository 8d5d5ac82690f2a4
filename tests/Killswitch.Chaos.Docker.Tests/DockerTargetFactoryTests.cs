using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Killswitch.Chaos.Docker.Tests.Infrastructure;

namespace Killswitch.Chaos.Docker.Tests;

public sealed class DockerTargetFactoryTests
{
    [Fact]
    public void Assembly_NamesTheFactory_SoKillswitchTargetDockerFindsIt()
    {
        var attribute = Assert.Single(typeof(DockerTarget).Assembly.GetCustomAttributes<ChaosTargetFactoryAttribute>());

        var sut = Assert.IsType<DockerTargetFactory>(Activator.CreateInstance(attribute.FactoryType));
        Assert.Equal("docker", sut.Name);
    }

    [Fact]
    public async Task Create_AddsRequestEnvironmentWithoutReplacingTheServicesOwn()
    {
        var runtime = new DockerRuntime("shop/checkout:dev").WithEnvironment("MODE", "mine");
        var system = new SystemUnderTest([new ServiceDefinition("checkout").AddRuntime(runtime)]);

        await using var target = new DockerTargetFactory().Create(new ChaosTargetRequest(system, new Dictionary<string, string> { ["MODE"] = "theirs", ["OFREP_URL"] = "http://127.0.0.1:5000" }));

        Assert.IsType<DockerTarget>(target);
        Assert.Equal("mine", runtime.Environment["MODE"]);
        Assert.Equal("http://127.0.0.1:5000", runtime.Environment["OFREP_URL"]);
    }

    [Trait("Category", "Integration")]
    [DockerFact]
    public async Task Create_LoopbackUrlOfTheTestProcess_ReachedFromTheContainers()
    {
        DockerEnvironment.Require();
        var factory = new DockerTargetFactory();
        Assert.True((await factory.CheckAvailabilityAsync()).IsAvailable);
        // A bare HTTP responder on loopback (HttpListener would refuse the forwarded Host header; Kestrel would not care).
        using var host = new TcpListener(IPAddress.Loopback, 0);
        host.Start();
        var port = ((IPEndPoint)host.LocalEndpoint).Port;
        var served = ServeAsync(host);

        // checkout calls PAYMENTS_URL/pay: here PAYMENTS_URL is a listener in this test process, on loopback.
        var image = await TestImage.BuildAsync();
        var system = new SystemUnderTest([new ServiceDefinition("checkout").AddRuntime(new DockerRuntime(image).WithCommand("--service", "checkout", "--urls", "http://+:8080"))]);
        await using (var sut = factory.Create(new ChaosTargetRequest(system, new Dictionary<string, string> { ["PAYMENTS_URL"] = $"http://127.0.0.1:{port}" })))
        {
            await sut.StartAsync();
            using var http = Measure.Client();
            var answer = await http.GetStringAsync(new Uri(sut.GetEndpoint("checkout"), "/checkout"));

            Assert.Equal("ordered", answer);
        }

        host.Stop();
        Assert.True(await served > 0);
    }

    private static async Task<int> ServeAsync(TcpListener listener)
    {
        var count = 0;
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var buffer = new byte[4096];
                var request = string.Empty;
                while (!request.Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer);
                    if (read == 0)
                    {
                        break;
                    }

                    request += System.Text.Encoding.ASCII.GetString(buffer, 0, read);
                }

                count++;
                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\npaid"u8.ToArray());
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            return count;
        }
    }
}
