using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Killswitch.Analyzers.CodeFixes.PutBehindFeatureFlag;

/// <summary>What one KS1001 diagnostic asks to put behind a flag: the code path's kind, its span and the suggested key.</summary>
internal readonly struct FlagTarget
{
    /// <summary>Diagnostic property that names the <see cref="CodePathKind"/>.</summary>
    public const string KindProperty = "KillswitchCodePathKind";

    /// <summary>Diagnostic property with the flag key the analyzer derived from the member name or route.</summary>
    public const string FlagKeyProperty = "KillswitchFlagKey";

    public FlagTarget(CodePathKind kind, TextSpan span, string key)
    {
        Kind = kind;
        Span = span;
        Key = key;
    }

    public CodePathKind Kind { get; }

    /// <summary>The span of the code path to guard (<c>Diagnostic.AdditionalLocations[0]</c>).</summary>
    public TextSpan Span { get; }

    /// <summary>The flag key the analyzer suggests (kebab-case of the member name or route).</summary>
    public string Key { get; }

    public FlagTarget WithSpan(TextSpan span) => new(Kind, span, Key);

    /// <summary>Reads the target from a KS1001 diagnostic; false when the diagnostic does not follow the contract.</summary>
    public static bool TryCreate(Diagnostic diagnostic, out FlagTarget target)
    {
        target = default;
        if (diagnostic.AdditionalLocations.Count == 0
            || !diagnostic.AdditionalLocations[0].IsInSource
            || diagnostic.AdditionalLocations[0].SourceTree != diagnostic.Location.SourceTree
            || !diagnostic.Properties.TryGetValue(KindProperty, out var kindText)
            || kindText is null
            || !Enum.TryParse<CodePathKind>(kindText, ignoreCase: false, out var kind)
            || !Enum.IsDefined(typeof(CodePathKind), kind)
            || !diagnostic.Properties.TryGetValue(FlagKeyProperty, out var key)
            || key is null
            || key.Trim().Length == 0)
        {
            return false;
        }

        target = new FlagTarget(kind, diagnostic.AdditionalLocations[0].SourceSpan, key);
        return true;
    }
}
