using System.Runtime.CompilerServices;
using Killswitch.Analyzers.Tests.CodeFixes;
using Microsoft.CodeAnalysis;

namespace Killswitch.Analyzers.Tests.Infrastructure;

/// <summary>
/// The reference assemblies the tests compile against are NuGet packages that Microsoft.CodeAnalysis.Testing downloads
/// into one folder ($TMPDIR/test-packages) on first use. A package it has just downloaded it leaves out of that first
/// resolution (it looks for the extracted folder under the other layout), and it caches the answer per process: on a
/// fresh machine the first test run compiled without ASP.NET Core and FeatureManagement (8 tests failed), and tests
/// downloading in parallel raced. So, once per test process and before any test: download every package through an
/// equivalent definition the tests do not use (its own cache entry), so that the tests' own resolution finds them all.
/// </summary>
internal static class ReferencePackages
{
#pragma warning disable CA2255 // A test assembly, not a library: the point is to run before any test.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Download()
    {
        // FeatureManagement holds every package the others do (the .NET 8 reference pack, ASP.NET Core, its own).
        var twin = KS1001CodeFixVerifier.FeatureManagement.WithAssemblyIdentityComparer(DesktopAssemblyIdentityComparer.Default);
        try
        {
            twin.ResolveAsync(LanguageNames.CSharp, CancellationToken.None).GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // No package source, say: the tests report it with the test framework's own message.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
