namespace Killswitch.Chaos;

/// <summary>
/// The base of every exception the chaos engine throws. Carries where it happened: the scenario, the fault and the
/// target, each <see langword="null"/> when not known at the point of failure.
/// </summary>
public abstract class ChaosException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected ChaosException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The scenario being built or run, when known.</summary>
    public string? Scenario { get; init; }

    /// <summary>The fault being validated, injected or reverted, when known.</summary>
    public string? Fault { get; init; }

    /// <summary>The target (for example <c>local</c>) that was asked to act, when known.</summary>
    public string? Target { get; init; }
}

/// <summary>Options did not validate. <see cref="Errors"/> lists every problem, not only the first.</summary>
public sealed class ChaosValidationException : ChaosException
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public ChaosValidationException(string subject, IReadOnlyList<string> errors)
        : base(FormatMessage(subject, errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found, one sentence each, naming the option that is wrong.</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string FormatMessage(string subject, IReadOnlyList<string> errors) =>
        $"{subject} is not valid ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):" + Environment.NewLine +
        string.Join(Environment.NewLine, errors.Select(e => "  - " + e)) + Environment.NewLine +
        "See docs/chaos/README.md for every option and its default.";
}

/// <summary>A label selector did not parse. <see cref="Position"/> is the zero-based index of the offending character.</summary>
public sealed class SelectorParseException : ChaosException
{
    /// <summary>Creates the exception.</summary>
    public SelectorParseException(string selector, int position, string problem)
        : base($"Selector '{selector}' does not parse at position {position}: {problem}. " +
               "Use Kubernetes label-selector syntax: 'app=payments', 'tier!=db', 'app in (a,b)', 'env notin (prod)', 'canary', '!canary', comma = AND.")
    {
        Selector = selector;
        Position = position;
        Problem = problem;
    }

    /// <summary>The selector text as given.</summary>
    public string Selector { get; }

    /// <summary>Zero-based index into <see cref="Selector"/> where parsing failed.</summary>
    public int Position { get; }

    /// <summary>What was wrong, without the surrounding advice.</summary>
    public string Problem { get; }
}

/// <summary>
/// A fault's selector matched no running instance. The run fails rather than passing silently: a fault that hit
/// nothing proves nothing. The message lists the labels that do exist so the typo is visible.
/// </summary>
public sealed class NoMatchingInstancesException : ChaosException
{
    /// <summary>Creates the exception.</summary>
    public NoMatchingInstancesException(string selector, IReadOnlyList<string> existingLabels)
        : base($"Selector '{selector}' matches no running instance. Labels that exist: " +
               (existingLabels.Count == 0 ? "(no instance is running)" : string.Join("; ", existingLabels)) +
               ". Fix the fault's Selector option (or the service's Labels) so that it matches at least one instance.")
    {
        Selector = selector;
        ExistingLabels = existingLabels;
    }

    /// <summary>The selector that matched nothing.</summary>
    public string Selector { get; }

    /// <summary>The label sets of the running instances, one entry per distinct set (<c>app=checkout,tier=web</c>).</summary>
    public IReadOnlyList<string> ExistingLabels { get; }
}

/// <summary>A target could not do what it was asked (a replica did not become ready, a fault is not supported ...).</summary>
public sealed class ChaosTargetException : ChaosException
{
    /// <summary>Creates the exception.</summary>
    public ChaosTargetException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
