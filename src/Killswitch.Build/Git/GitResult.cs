using System.Text;

namespace Killswitch.Build.Git;

/// <summary>What one git invocation printed and returned.</summary>
internal sealed class GitResult
{
    public GitResult(int exitCode, byte[] standardOutput, string standardError)
    {
        ExitCode = exitCode;
        StandardOutputBytes = standardOutput;
        StandardError = standardError;
    }

    public int ExitCode { get; }

    public bool Succeeded => ExitCode == 0;

    /// <summary>Raw output: file contents from <c>git cat-file --batch</c> must not be decoded.</summary>
    public byte[] StandardOutputBytes { get; }

    /// <summary>The output decoded as UTF-8 (git writes paths in UTF-8 with <c>core.quotePath=off</c>).</summary>
    public string StandardOutput => Encoding.UTF8.GetString(StandardOutputBytes);

    public string StandardError { get; }

    /// <summary>The first line git wrote to stderr, for messages.</summary>
    public string FirstErrorLine
    {
        get
        {
            var text = StandardError.Trim();
            var newline = text.IndexOf('\n');
            return (newline < 0 ? text : text.Substring(0, newline)).Trim();
        }
    }
}
