using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Images;

namespace Killswitch.Chaos.Docker;

/// <summary>
/// Helper containers of the network agent: the tools image, sharing a replica's network namespace (<c>--network
/// container:REPLICA --cap-add NET_ADMIN</c>), labelled as the session's agents so the sweep finds them.
/// </summary>
internal static class AgentContainers
{
    /// <summary>The helper container's name for agent tag <paramref name="tag"/>.</summary>
    public static string Name(DockerTarget target, string tag) => $"{target.ContainerPrefix}-agent-{tag}";

    public static ContainerBuilder Builder(DockerTarget target, string name, DockerReplica replica, IEnumerable<string> arguments)
    {
        var labels = new Dictionary<string, string>(target.Labels(DockerTargetLabels.Agent), StringComparer.Ordinal)
        {
            [DockerTargetConstants.InstanceLabel] = replica.Id,
        };
        return new ContainerBuilder(target.Options.ToolsImage)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithName(name)
            .WithLabel(labels)
            .WithCommand([.. arguments])
            .WithCleanUp(false)
            .WithCreateParameterModifier(parameters =>
            {
                // Testcontainers has no API for joining another container's network namespace or adding a capability.
                parameters.HostConfig ??= new HostConfig();
                parameters.HostConfig.NetworkMode = "container:" + replica.ContainerId;
                parameters.HostConfig.CapAdd = ["NET_ADMIN"];
            });
    }

    /// <summary>
    /// Runs a one-shot agent command (<c>sweep</c>, <c>drain</c>) in <paramref name="replica"/>'s namespace, in the helper
    /// container <see cref="Name"/>(<paramref name="tag"/>): journalled while it exists, waited for up to the agent
    /// timeout, removed after. Returns its exit code (null when it did not finish in time) and stdout.
    /// </summary>
    public static async Task<(long? ExitCode, string Output)> RunOnceAsync(DockerTarget target, string tag, DockerReplica replica, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var resourceId = "agent:" + tag;
        var name = Name(target, tag);
        target.Journal.AddResource(new JournalResource(resourceId, DockerTargetConstants.ContainerResource, Detail: name));
        var container = Builder(target, name, replica, arguments).Build();
        try
        {
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
            ContainerInspectResponse? state = null;
            await Waits.UntilAsync(
                async ct => (state = await target.Engine.InspectAsync(container.Id, ct).ConfigureAwait(false)) is not { State.Running: true },
                TimeSpan.FromMilliseconds(25),
                target.Options.AgentTimeout,
                target.Time,
                cancellationToken).ConfigureAwait(false);
            var (stdout, stderr) = await container.GetLogsAsync(timestampsEnabled: false, ct: CancellationToken.None).ConfigureAwait(false);
            return (state is { State.Running: false } ? state.State.ExitCode : null, (stdout + stderr).Trim());
        }
        finally
        {
            await target.RemoveContainerAsync(resourceId, name).ConfigureAwait(false);
        }
    }
}
