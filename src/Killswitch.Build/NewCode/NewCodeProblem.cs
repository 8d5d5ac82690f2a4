using Killswitch.Build.Diagnostics;

namespace Killswitch.Build.NewCode;

/// <summary>Why git could not say what is new: a message code, what happened and what to do.</summary>
internal sealed class NewCodeProblem
{
    public NewCodeProblem(string code, string description)
    {
        Code = code;
        Description = description;
    }

    public string Code { get; }

    /// <summary>What happened and what to do, in one or two sentences, without the fallback or the link.</summary>
    public string Description { get; }

    public string HelpLink => BuildMessageCodes.HelpLink(Code);

    public override string ToString() => Code + ": " + Description;
}
