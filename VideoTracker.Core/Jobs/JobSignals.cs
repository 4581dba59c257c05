namespace VideoTracker.Core.Jobs;

/// <summary>
/// Tells workers that there is something to do. The row is always written first; a lost signal only delays
/// the work until the next sweep (<c>Jobs:SweepSeconds</c>) or heartbeat.
/// </summary>
public interface IJobSignals
{
    /// <summary>A job became pending. False when it cannot be taken now (the in-process queue is full).</summary>
    Task<bool> PendingAsync(Guid jobId, CancellationToken cancellationToken);

    /// <summary>A running job's row carries a cancel request.</summary>
    Task CancelRequestedAsync(Guid jobId, CancellationToken cancellationToken);
}

/// <summary>SQLite, one process: the bounded channel wakes the workers; the registry stops a job.</summary>
internal sealed class ChannelJobSignals(JobQueue queue) : IJobSignals
{
    public Task<bool> PendingAsync(Guid jobId, CancellationToken cancellationToken) => Task.FromResult(queue.TryEnqueue(jobId));

    public Task CancelRequestedAsync(Guid jobId, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>PostgreSQL, many nodes: <c>NOTIFY vt_jobs</c>, heard by every node's <see cref="PostgresJobListener"/>.</summary>
internal sealed class PostgresJobSignals(IDbContextFactory<VideoTrackerDbContext> contexts, JobWakeup wakeup) : IJobSignals
{
    public const string Channel = "vt_jobs";
    public const string PendingPrefix = "pending:";
    public const string CancelPrefix = "cancel:";

    public async Task<bool> PendingAsync(Guid jobId, CancellationToken cancellationToken)
    {
        wakeup.Wake();
        await NotifyAsync(PendingPrefix + jobId.ToString("D"), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public Task CancelRequestedAsync(Guid jobId, CancellationToken cancellationToken) =>
        NotifyAsync(CancelPrefix + jobId.ToString("D"), cancellationToken);

    private async Task NotifyAsync(string payload, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", cancellationToken).ConfigureAwait(false);
    }
}
