using System.Text.RegularExpressions;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>Name rules and glob matching shared by the target.</summary>
internal static partial class KubernetesNames
{
    public static bool IsDnsLabel(string name) => name.Length is > 0 and <= 63 && DnsLabel().IsMatch(name);

    /// <summary>Whether <paramref name="value"/> matches <paramref name="pattern"/>, where <c>*</c> is any run of characters.</summary>
    public static bool GlobMatches(string pattern, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();
}
