using Xunit.Abstractions;
using Xunit.Sdk;

namespace Killswitch.Xunit.Sdk;

/// <summary>
/// The progress lines of a chaos run go to xunit's diagnostic message sink: Test Explorer's output pane, and the
/// <c>dotnet test</c> console when the test project's <c>xunit.runner.json</c> has <c>"diagnosticMessages": true</c>
/// (the test host's standard output is not shown by <c>dotnet test</c>, so writing there would reach no one).
/// </summary>
internal static class ChaosProgress
{
    public static void Write(IMessageSink? diagnostics, string line) => diagnostics?.OnMessage(new DiagnosticMessage(line));
}
