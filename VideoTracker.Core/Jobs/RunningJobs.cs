using System.Collections.Concurrent;

namespace VideoTracker.Core.Jobs;

/// <summary>Why a running job was told to stop before its end.</summary>
public enum StopReason
{
    None,

    /// <summary>Someone asked to cancel it, on this node or another.</summary>
    CancelRequested,

    /// <summary>Its lease was lost to another worker: stop without touching the row or the files.</summary>
    LeaseLost,
}

/// <summary>
/// The one registry of the jobs this process runs, each with the token that stops it. The row is the truth
/// about every job; this only knows which of them run here, so a cancel seen on this node stops them at once.
/// </summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<Guid, RunningJob> _running = new();

    public RunningJob Register(Guid jobId, CancellationToken stoppingToken)
    {
        var job = new RunningJob(CancellationTokenSource.CreateLinkedTokenSource(stoppingToken));
        _running[jobId] = job;
        return job;
    }

    /// <summary>Called by the runner once the job's final state is saved; releases anyone waiting for it to stop.</summary>
    public void Unregister(Guid jobId)
    {
        if (_running.TryRemove(jobId, out var job))
        {
            job.Stopped.TrySetResult();
            job.Cancellation.Dispose();
        }
    }

    public IReadOnlyCollection<Guid> Ids => [.. _running.Keys];

    /// <summary>
    /// Tells the job to stop (the tool notices between frames). Returns a task that completes when its runner
    /// has saved the outcome, or null when this process does not run the job.
    /// </summary>
    public Task? TryStop(Guid jobId, StopReason reason)
    {
        if (!_running.TryGetValue(jobId, out var job))
        {
            return null;
        }

        job.Stop(reason);
        return job.Stopped.Task;
    }
}

/// <summary>A job this process runs.</summary>
public sealed class RunningJob(CancellationTokenSource cancellation)
{
    private int _reason;

    internal CancellationTokenSource Cancellation { get; } = cancellation;

    internal TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Cancelled on shutdown and by <see cref="Stop"/>.</summary>
    public CancellationToken Token => Cancellation.Token;

    /// <summary>The first reason given; later ones do not replace it.</summary>
    public StopReason Reason => (StopReason)Volatile.Read(ref _reason);

    public void Stop(StopReason reason)
    {
        Interlocked.CompareExchange(ref _reason, (int)reason, (int)StopReason.None);
        try
        {
            Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already unregistered: the job has ended.
        }
    }
}
