using System.Collections.Concurrent;

namespace VideoTracker.Core.Jobs;

/// <summary>The jobs this process is running now, each with a token that cancels it.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public CancellationTokenSource Register(Guid jobId, CancellationToken stoppingToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _running[jobId] = cts;
        return cts;
    }

    public void Unregister(Guid jobId) => _running.TryRemove(jobId, out _);

    public bool IsRunningHere(Guid jobId) => _running.ContainsKey(jobId);

    public IReadOnlyCollection<Guid> Ids => [.. _running.Keys];

    /// <summary>Asks the running job to stop; the tool notices between frames.</summary>
    public bool TryCancel(Guid jobId)
    {
        if (!_running.TryGetValue(jobId, out var cts))
        {
            return false;
        }

        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        return true;
    }
}
