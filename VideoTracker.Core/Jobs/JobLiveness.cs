namespace VideoTracker.Core.Jobs;

/// <summary>
/// What a job's row says about its run, for people watching it: whether its worker has gone quiet. The row has no
/// heartbeat time of its own; each heartbeat sets the lease to end <c>Jobs:LeaseSeconds</c> later, so the last one was
/// then (by the app's clock: with PostgreSQL, the database server's on every node, see <c>DatabaseClock</c>).
/// </summary>
public static class JobLiveness
{
    /// <summary>The heartbeat's age past which the live counters are stale: three heartbeats missed, or the whole lease if shorter.</summary>
    public static TimeSpan StaleAfter(JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TimeSpan.FromSeconds(Math.Min(3 * options.HeartbeatSeconds, options.LeaseSeconds));
    }

    /// <summary>How long the running job's worker has been silent, once that is longer than <see cref="StaleAfter"/>; otherwise null.</summary>
    public static TimeSpan? SilentFor(VideoJob job, JobsOptions options, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(options);
        if (job.Status != JobStatus.Running || job.LeaseExpiresAt is not { } leaseEnds)
        {
            return null;
        }

        var silent = utcNow - (leaseEnds - TimeSpan.FromSeconds(options.LeaseSeconds));
        return silent > StaleAfter(options) ? silent : null;
    }
}
