using System;

namespace Killswitch.Build.Git;

/// <summary>Git could not be run to the end; carries the executable and the command so a message can name them.</summary>
internal abstract class GitException : Exception
{
    protected GitException(string message, string gitPath, string arguments, Exception? innerException)
        : base(message, innerException)
    {
        GitPath = gitPath;
        Arguments = arguments;
    }

    public string GitPath { get; }

    public string Arguments { get; }
}

/// <summary>The git executable could not be started (not installed, not on PATH, or <c>KillswitchGitPath</c> is wrong).</summary>
internal sealed class GitNotFoundException : GitException
{
    public GitNotFoundException(string gitPath, string arguments, Exception innerException)
        : base($"Could not start '{gitPath}': {innerException.Message}", gitPath, arguments, innerException)
    {
    }
}

/// <summary>A git command ran longer than <c>KillswitchGitTimeout</c> and was stopped.</summary>
internal sealed class GitTimeoutException : GitException
{
    public GitTimeoutException(string gitPath, string arguments, TimeSpan timeout)
        : base($"'git {arguments}' did not finish within {timeout.TotalSeconds:0} s and was stopped", gitPath, arguments, null)
    {
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }
}
