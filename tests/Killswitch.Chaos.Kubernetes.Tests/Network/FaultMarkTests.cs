using k8s.Models;

namespace Killswitch.Chaos.Kubernetes.Tests.Network;

public sealed class FaultMarkTests
{
    [Fact]
    public void Read_MarksOfTwoFaults_ParsesEachAndIgnoresOtherAnnotations()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Annotations = new Dictionary<string, string>
                {
                    [FaultMark.Key("latency-1-1")] = FaultMark.Value("vm/42/linux:7", "ks-1", "ks-latency-1-1-payments-abc", "proxy"),
                    [FaultMark.Key("blackhole-2-1")] = FaultMark.Value("vm/42/linux:7", "ks-1", "ks-blackhole-2-1-payments-abc", FaultMark.Pending),
                    ["killswitch.dev/owner"] = "vm/1/x",
                },
            },
        };

        var sut = FaultMark.Read(pod).OrderBy(m => m.InjectionId, StringComparer.Ordinal).ToArray();

        Assert.Equal(
            [("blackhole-2-1", "vm/42/linux:7", "ks-1", "ks-blackhole-2-1-payments-abc", "pending"), ("latency-1-1", "vm/42/linux:7", "ks-1", "ks-latency-1-1-payments-abc", "proxy")],
            sut);
        Assert.Equal("fault.killswitch.dev/latency-1-1", FaultMark.Key("latency-1-1"));
    }

    [Fact]
    public void Read_TruncatedValue_FillsWhatIsMissing()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [FaultMark.Key("t")] = "vm/42/linux:7" } } };

        var mark = Assert.Single(FaultMark.Read(pod));

        Assert.Equal(("t", "vm/42/linux:7", string.Empty, string.Empty, FaultMark.Pending), mark);
    }
}
