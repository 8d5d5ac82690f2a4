using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Killswitch.Chaos.Kubernetes;

/// <summary>
/// The pods matching a label selector in one namespace, kept current by a watch (list once, then watch from that
/// resource version; relist when the watch ends or the version expires). Waits are on this state, never on sleeps.
/// </summary>
internal sealed class PodWatch : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly string _namespace;
    private readonly string _selector;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deleted = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    private PodWatch(IKubernetes client, string @namespace, string selector, TimeProvider time)
    {
        _client = client;
        _namespace = @namespace;
        _selector = selector;
        _time = time;
    }

    /// <summary>The pods now, by UID.</summary>
    public IReadOnlyList<V1Pod> Pods
    {
        get
        {
            lock (_gate)
            {
                return [.. _pods.Values];
            }
        }
    }

    /// <summary>UIDs of pods seen deleted (gone from the API) since the watch started.</summary>
    public bool WasDeleted(string uid)
    {
        lock (_gate)
        {
            return _deleted.Contains(uid);
        }
    }

    public static async Task<PodWatch> StartAsync(IKubernetes client, string @namespace, string selector, TimeProvider time, CancellationToken cancellationToken)
    {
        var watch = new PodWatch(client, @namespace, selector, time);
        var version = await watch.RelistAsync(cancellationToken).ConfigureAwait(false);
        watch._loop = Task.Run(() => watch.RunAsync(version), CancellationToken.None);
        return watch;
    }

    /// <summary>Waits until <paramref name="condition"/> holds over the current pods; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitAsync(Func<IReadOnlyList<V1Pod>, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition(Pods))
            {
                return true;
            }

            var left = timeout - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await changed.WaitAsync(left, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return condition(Pods);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync(string version)
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var events = _client.CoreV1.WatchListNamespacedPodAsync(
                    _namespace, allowWatchBookmarks: true, labelSelector: _selector, resourceVersion: version, timeoutSeconds: 60, cancellationToken: token);
                await foreach (var (type, pod) in events.ConfigureAwait(false))
                {
                    if (type == WatchEventType.Error)
                    {
                        // Typically 410 Gone: the version is too old to watch from. Start over from a fresh list.
                        version = await RelistAsync(token).ConfigureAwait(false);
                        break;
                    }

                    if (pod?.Metadata is null)
                    {
                        continue;
                    }

                    version = pod.Metadata.ResourceVersion ?? version;
                    if (type != WatchEventType.Bookmark)
                    {
                        Apply(type, pod);
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException or KubernetesException)
            {
                // The watch broke (expired version, a dropped connection): start over from a fresh list.
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), _time, token).ConfigureAwait(false);
                    version = await RelistAsync(token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception retry) when (retry is HttpOperationException or HttpRequestException or IOException)
                {
                    // Try again on the next turn.
                }
            }
        }
    }

    private async Task<string> RelistAsync(CancellationToken cancellationToken)
    {
        var list = await _client.CoreV1.ListNamespacedPodAsync(_namespace, labelSelector: _selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var present = list.Items.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _pods.Keys.Where(uid => !present.Contains(uid)).ToArray())
            {
                _pods.Remove(gone);
                _deleted.Add(gone);
            }

            foreach (var pod in list.Items)
            {
                _pods[pod.Metadata.Uid] = pod;
            }

            Signal();
        }

        return list.Metadata.ResourceVersion;
    }

    private void Apply(WatchEventType type, V1Pod pod)
    {
        lock (_gate)
        {
            if (type == WatchEventType.Deleted)
            {
                _pods.Remove(pod.Metadata.Uid);
                _deleted.Add(pod.Metadata.Uid);
            }
            else
            {
                _pods[pod.Metadata.Uid] = pod;
            }

            Signal();
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}

/// <summary>Pod facts the target reads in several places.</summary>
internal static class PodFacts
{
    public static bool IsTerminating(this V1Pod pod) => pod.Metadata.DeletionTimestamp is not null;

    public static bool IsReady(this V1Pod pod) =>
        !pod.IsTerminating() && pod.Status?.Phase == "Running" &&
        pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static string? Label(this V1ObjectMeta metadata, string key) => metadata.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    public static string? Annotation(this V1ObjectMeta metadata, string key) => metadata.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;

    public static bool IsNotFound(this HttpOperationException ex) => ex.Response?.StatusCode == HttpStatusCode.NotFound;

    public static bool IsConflict(this HttpOperationException ex) => ex.Response?.StatusCode == HttpStatusCode.Conflict;
}
