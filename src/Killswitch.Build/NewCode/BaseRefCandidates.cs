using System;
using System.Collections.Generic;

namespace Killswitch.Build.NewCode;

/// <summary>
/// Which refs to try as the base of "new", in order: the user's <c>KillswitchBaseRef</c> alone when set; else the
/// pull request's target branch announced by the CI system; else the usual default branches.
/// </summary>
internal static class BaseRefCandidates
{
    /// <summary>CI variables naming a pull request's target branch, in the order they are consulted.</summary>
    internal static readonly string[] PullRequestTargetVariables =
    {
        "GITHUB_BASE_REF",                      // GitHub Actions (pull_request events)
        "SYSTEM_PULLREQUEST_TARGETBRANCH",      // Azure Pipelines (refs/heads/main)
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",  // GitLab merge request pipelines
        "BITBUCKET_PR_DESTINATION_BRANCH",      // Bitbucket Pipelines
        "CHANGE_TARGET",                        // Jenkins multibranch pipelines
    };

    internal static readonly string[] DefaultBranches = { "origin/main", "main", "origin/master", "master" };

    /// <summary>Returns the refs to try and the CI variable that supplied them (null when none did).</summary>
    public static IReadOnlyList<string> Get(string? explicitBaseRef, Func<string, string?> environment, out string? source)
    {
        if (!string.IsNullOrWhiteSpace(explicitBaseRef))
        {
            source = "KillswitchBaseRef";
            return new[] { explicitBaseRef!.Trim() };
        }

        var candidates = new List<string>();
        source = null;
        foreach (var variable in PullRequestTargetVariables)
        {
            var branch = Normalize(environment(variable));
            if (branch.Length == 0)
            {
                continue;
            }

            source = variable;
            candidates.Add("origin/" + branch);
            candidates.Add(branch);
            break;
        }

        foreach (var branch in DefaultBranches)
        {
            if (!candidates.Contains(branch))
            {
                candidates.Add(branch);
            }
        }

        return candidates;
    }

    /// <summary>Maps a short candidate to the full ref name <c>git for-each-ref</c> lists.</summary>
    public static string ToFullRefName(string candidate) =>
        candidate.StartsWith("refs/", StringComparison.Ordinal) ? candidate
        : candidate.StartsWith("origin/", StringComparison.Ordinal) ? "refs/remotes/" + candidate
        : "refs/heads/" + candidate;

    private static string Normalize(string? branch)
    {
        var value = (branch ?? string.Empty).Trim();
        foreach (var prefix in new[] { "refs/heads/", "refs/remotes/origin/" })
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                value = value.Substring(prefix.Length);
            }
        }

        return value;
    }
}
