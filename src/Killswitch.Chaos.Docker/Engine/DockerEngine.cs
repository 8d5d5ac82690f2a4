using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;

namespace Killswitch.Chaos.Docker;

/// <summary>
/// The Docker Engine API where Testcontainers has none: events (to replace dead replicas at once), kill with a chosen
/// signal, list and remove by label (the sweep), inspect (addresses, state). The client is built from Testcontainers'
/// own endpoint resolution (DOCKER_HOST, ~/.testcontainers.properties, the default socket), so both talk to one engine.
/// </summary>
internal sealed class DockerEngine : IDisposable
{
    private DockerEngine(IDockerClient client) => Client = client;

    public IDockerClient Client { get; }

    /// <summary>Connects, or throws Testcontainers' own <see cref="DockerUnavailableException"/> saying how to fix it.</summary>
    public static DockerEngine Connect()
    {
        ApiVersion.Negotiate();
        var config = TestcontainersSettings.OS.DockerEndpointAuthConfig;
        if (config is null)
        {
            // Building a container definition makes Testcontainers explain what is missing and how to configure it.
            _ = new ContainerBuilder(DockerTargetConstants.DefaultToolsImage).Build();
            throw new DockerUnavailableException("Docker is not available: no Docker endpoint was found (DOCKER_HOST, ~/.testcontainers.properties or the default socket).");
        }

        return new DockerEngine(config.GetDockerClientBuilder(Guid.Empty).Build());
    }

    /// <summary>Whether an engine answers; when not, Testcontainers' explanation.</summary>
    public static async Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var engine = Connect();
            await engine.Client.System.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is DockerUnavailableException or DockerApiException or HttpRequestException or IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return ex.Message + (ApiVersion.Negotiated is null && ex.Message.Contains("too new", StringComparison.OrdinalIgnoreCase)
                ? " The engine is older than the API version the client speaks: set DOCKER_API_VERSION to `docker version -f '{{.Server.APIVersion}}'`."
                : string.Empty);
        }
    }

    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await Client.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<ContainerInspectResponse?> InspectAsync(string container, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.Containers.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Sends <paramref name="signal"/> (<c>SIGKILL</c>, <c>SIGTERM</c>); a container already stopped or gone is fine.</summary>
    public async Task KillAsync(string container, string signal, CancellationToken cancellationToken)
    {
        try
        {
            await Client.Containers.KillContainerAsync(container, new ContainerKillParameters { Signal = signal }, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // Not running any more.
        }
    }

    /// <summary>Removes a container (running or not) with its anonymous volumes. Idempotent.</summary>
    public async Task<bool> RemoveContainerAsync(string container, CancellationToken cancellationToken)
    {
        try
        {
            await Client.Containers.RemoveContainerAsync(container, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict && ex.Message.Contains("already in progress", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
    }

    /// <summary>Removes a network. Idempotent.</summary>
    public async Task<bool> RemoveNetworkAsync(string network, CancellationToken cancellationToken)
    {
        try
        {
            await Client.Networks.DeleteNetworkAsync(network, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DockerNetworkNotFoundException)
        {
            return false;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<IList<ContainerListResponse>> ListContainersAsync(string label, CancellationToken cancellationToken) =>
        await Client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = LabelFilter(label) },
            cancellationToken).ConfigureAwait(false);

    public async Task<IList<NetworkResponse>> ListNetworksAsync(string label, CancellationToken cancellationToken) =>
        await Client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = LabelFilter(label) }, cancellationToken).ConfigureAwait(false);

    public void Dispose() => Client.Dispose();

    private static Dictionary<string, IDictionary<string, bool>> LabelFilter(string label) => new()
    {
        ["label"] = new Dictionary<string, bool> { [label] = true },
    };
}
