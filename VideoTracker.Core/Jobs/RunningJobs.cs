using System.Collections.Concurrent;

namespace VideoTracker.Core.Jobs;

/// <summary>The jobs this process is running now, each with a token that cancels it.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<Guid, Entry> _running = new();

    public CancellationTokenSource Register(Guid jobId, CancellationToken stoppingToken)
    {
        var entry = new Entry(CancellationTokenSource.CreateLinkedTokenSource(stoppingToken));
        _running[jobId] = entry;
        return entry.Cancellation;
    }

    /// <summary>Called by the runner once the job's final state is saved; releases anyone waiting for it to stop.</summary>
    public void Unregister(Guid jobId)
    {
        if (_running.TryRemove(jobId, out var entry))
        {
            entry.Stopped.TrySetResult();
        }
    }

    public IReadOnlyCollection<Guid> Ids => [.. _running.Keys];

    /// <summary>
    /// Asks the running job to stop (the tool notices between frames). Returns a task that completes when
    /// its runner has saved the outcome, or null when this process does not run the job.
    /// </summary>
    public Task? TryCancel(Guid jobId)
    {
        if (!_running.TryGetValue(jobId, out var entry))
        {
            return null;
        }

        try
        {
            entry.Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return null;
        }

        return entry.Stopped.Task;
    }

    private sealed record Entry(CancellationTokenSource Cancellation)
    {
        public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
