using System.Text;
using Killswitch.Flags.Matrix;

namespace Killswitch.Flags.Delivery;

/// <summary>
/// Delivers an assignment as environment variables, for services that read flags from configuration. A process reads
/// its environment once, so a new assignment needs a restart: the chaos target starts replicas with these variables
/// (Killswitch.Chaos's <c>LocalProcessRuntime.Environment</c>) and restarts them when the case changes.
/// </summary>
/// <remarks>
/// Each flag that serves a value (see <see cref="OfrepServer"/>: disabled flags and flags without a default variant
/// serve none, and get no variable, so the service's own default applies) gets:
/// <list type="bullet">
/// <item><c>FLAG_&lt;KEY&gt;</c>: the value; <c>&lt;KEY&gt;</c> is the key upper-cased with every character other than
/// <c>A-Z</c>/<c>0-9</c> replaced by <c>_</c> (<c>new-checkout</c> → <c>FLAG_NEW_CHECKOUT</c>). Booleans are
/// <c>true</c>/<c>false</c>, strings as they are, numbers and objects as JSON (<c>5</c>, <c>0.05</c>, <c>{"a":1}</c>).</item>
/// <item>boolean flags also <c>FeatureManagement__&lt;key&gt;</c> = <c>true</c>/<c>false</c>, the key as written: what
/// Microsoft.FeatureManagement reads from configuration as <c>FeatureManagement:&lt;key&gt;</c>.</item>
/// </list>
/// </remarks>
public static class EnvironmentVariableDelivery
{
    /// <summary>The prefix of the variables Microsoft.FeatureManagement reads (<c>FeatureManagement:&lt;key&gt;</c> in configuration).</summary>
    public const string FeatureManagementPrefix = "FeatureManagement__";

    /// <summary>The prefix of the variable every served flag gets.</summary>
    public const string FlagPrefix = "FLAG_";

    /// <summary>Returns the variables that deliver <paramref name="assignment"/> (null: every flag as the manifest defines it), ordered by name.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="manifest"/> is null.</exception>
    /// <exception cref="ArgumentException">The assignment names a flag or variant the manifest does not have, or two keys map to the same variable name.</exception>
    public static IReadOnlyDictionary<string, string> Create(FlagManifest manifest, VariantAssignment? assignment)
    {
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var flag in ServedFlag.Resolve(manifest, assignment))
        {
            if (flag.Value is null)
            {
                continue;
            }

            var name = VariableName(flag.Flag.Key);
            if (owners.TryGetValue(name, out var other))
            {
                throw new ArgumentException(
                    $"Flags '{other}' and '{flag.Flag.Key}' both map to the environment variable {name}; rename one of them, or deliver them over OFREP or a flagd file.",
                    nameof(manifest));
            }

            owners.Add(name, flag.Flag.Key);
            variables.Add(name, flag.Value.Kind switch
            {
                FlagValueKind.Boolean => flag.Value.AsBoolean() ? "true" : "false",
                FlagValueKind.String => flag.Value.AsString(),
                _ => flag.Value.ToJson(),
            });
            if (flag.Value.Kind == FlagValueKind.Boolean)
            {
                variables.Add(FeatureManagementPrefix + flag.Flag.Key, flag.Value.AsBoolean() ? "true" : "false");
            }
        }

        return variables;
    }

    /// <summary>Returns the <c>FLAG_&lt;KEY&gt;</c> variable name of a flag key (<c>new-checkout</c> → <c>FLAG_NEW_CHECKOUT</c>).</summary>
    public static string VariableName(string flagKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(flagKey);
        var name = new StringBuilder(FlagPrefix, FlagPrefix.Length + flagKey.Length);
        foreach (var c in flagKey)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return name.ToString();
    }
}
