using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Killswitch.Chaos.Agent.Tests.Infrastructure;

/// <summary>The real agent (this build's Killswitch.Chaos.Agent.dll) run in a namespace with <c>ip netns exec</c>.</summary>
internal sealed partial class AgentProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly List<JsonObject> _lines = [];
    private readonly System.Text.StringBuilder _errors = new();

    private AgentProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith('{'))
            {
                lock (_lines)
                {
                    _lines.Add(JsonNode.Parse(line)!.AsObject());
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public static AgentProcess Start(NetworkNamespace ns, params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["netns", "exec", ns.Name, "dotnet", typeof(AgentCommand).Assembly.Location, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        return new AgentProcess(Process.Start(start)!);
    }

    /// <summary>Runs a verb to its end (sweep, probe) and returns its last line.</summary>
    public static JsonObject Run(NetworkNamespace ns, params string[] arguments)
    {
        using var agent = Start(ns, arguments);
        if (!agent._process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException("killswitch-agent " + string.Join(' ', arguments) + " did not finish in 60 s.");
        }

        agent._process.WaitForExit(); // flushes the output events
        return agent.Lines()[^1];
    }

    public IReadOnlyList<JsonObject> Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    /// <summary>Waits (polling, up to 60 s: a cold .NET start on a loaded machine) for the first line of an event.</summary>
    public JsonObject WaitFor(string name)
    {
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (Lines().FirstOrDefault(l => (string?)l["event"] == name) is { } line)
            {
                return line;
            }

            if (Lines().FirstOrDefault(l => (string?)l["event"] == "error") is { } error)
            {
                throw new InvalidOperationException("The agent failed: " + error.ToJsonString());
            }

            if (_process.HasExited && name != "reverted")
            {
                break;
            }

            Thread.Sleep(25);
        }

        string errors;
        lock (_errors)
        {
            errors = _errors.ToString().Trim();
        }

        throw new TimeoutException($"No '{name}' line from the agent{(_process.HasExited ? " (exited " + _process.ExitCode + ")" : string.Empty)}; it said: {string.Join(' ', Lines().Select(l => l.ToJsonString()))} {errors}");
    }

    /// <summary>SIGTERM: the agent reverts and exits.</summary>
    public void Terminate() => _ = Kill(_process.Id, SigTerm);

    /// <summary>SIGKILL: the agent dies without reverting.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
