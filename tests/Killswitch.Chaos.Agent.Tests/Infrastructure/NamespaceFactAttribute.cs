namespace Killswitch.Chaos.Agent.Tests.Infrastructure;

/// <summary>
/// A fact that runs the agent for real in a network namespace of its own: it needs root, <c>ip</c>, <c>iptables</c> and
/// the kernel's NFQUEUE (nfnetlink_queue). Where they are missing it is skipped with the reason, except in CI
/// (<c>CI=true</c>), where the test then runs and fails with that reason: a skip in CI is broken CI.
/// </summary>
public sealed class NamespaceFactAttribute : FactAttribute
{
    public NamespaceFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") != "true" && NamespaceEnvironment.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}

internal static class NamespaceEnvironment
{
    private static readonly Lazy<string?> Reason = new(Check);

    /// <summary>Why the agent cannot run in a namespace here, or null.</summary>
    public static string? Unavailable => Reason.Value;

    /// <summary>Fails (in CI) with the reason the skip would have given.</summary>
    public static void Require()
    {
        if (Unavailable is { } reason)
        {
            Assert.Fail("CI=true and the agent cannot run in a network namespace here: " + reason);
        }
    }

    private static string? Check()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "Network namespaces are Linux only.";
        }

        if (Environment.UserName != "root")
        {
            return "Needs root (ip netns, iptables): run the tests as root or in CI.";
        }

        foreach (var tool in new[] { "ip", "iptables" })
        {
            if (!Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(dir => File.Exists(Path.Combine(dir, tool))))
            {
                return $"'{tool}' is not installed (apt-get install iproute2 iptables).";
            }
        }

        return File.Exists("/proc/net/netfilter/nfnetlink_queue") || Directory.Exists("/sys/module/nfnetlink_queue")
            ? null
            : "The kernel has no NFQUEUE (nfnetlink_queue): modprobe nfnetlink_queue.";
    }
}
