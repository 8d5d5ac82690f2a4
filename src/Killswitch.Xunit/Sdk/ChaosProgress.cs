using Xunit.Abstractions;
using Xunit.Sdk;

namespace Killswitch.Xunit.Sdk;

/// <summary>
/// The progress lines of a chaos run: to xunit's diagnostic sink (Test Explorer's output pane, <c>dotnet test</c> with
/// <c>diagnosticMessages</c> on) and to the test process's standard output, which <c>dotnet test</c> shows as the run
/// goes. Standard output is the point of a progress line: this is the one place the package writes to it.
/// </summary>
internal static class ChaosProgress
{
    public static void Write(IMessageSink? diagnostics, string line)
    {
        diagnostics?.OnMessage(new DiagnosticMessage(line));
        if (Environment.GetEnvironmentVariable("KILLSWITCH_QUIET") != "1")
        {
#pragma warning disable RS0030, CA1303 // The progress line is for the console by design.
            Console.Out.WriteLine(line);
            Console.Out.Flush();
#pragma warning restore RS0030, CA1303
        }
    }
}
