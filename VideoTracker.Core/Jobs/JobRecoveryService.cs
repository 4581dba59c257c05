namespace VideoTracker.Core.Jobs;

/// <summary>
/// At start-up and then every <c>Jobs:SweepSeconds</c>: puts running jobs that no live worker holds
/// back to pending (or fails them after <c>Jobs:MaxAttempts</c>; ends those whose cancel was requested as cancelled;
/// completes those whose whole results are already in place: see <see cref="InterruptedJobs"/>), and queues every
/// pending job the queue does not hold yet. This is what makes the database, not the channel, the truth. A job it fails is
/// announced like any other ending (webhooks).
/// </summary>
public sealed class JobRecoveryService(
    JobStore store,
    JobQueue queue,
    JobWakeup wakeup,
    InterruptedJobs interrupted,
    UnsavedFailures unsaved,
    ProcessInstance instance,
    JobEndedNotifier ended,
    TimeProvider time,
    IOptions<JobsOptions> options,
    ILogger<JobRecoveryService> logger) : PeriodicSweep("recovery", TimeSpan.FromSeconds(options.Value.SweepSeconds), time, logger)
{
    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await SaveUnsavedFailuresAsync(cancellationToken).ConfigureAwait(false);
        foreach (var job in await interrupted.FindAsync(cancellationToken).ConfigureAwait(false))
        {
            await interrupted.RecoverAsync(job, cancellationToken).ConfigureAwait(false);
        }

        if (!interrupted.OnlyProcess)
        {
            // PostgreSQL: workers claim from the table; the sweep only wakes them in case a notification was lost.
            wakeup.Wake();
            return;
        }

        var waiting = 0;
        foreach (var id in await store.PendingIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!queue.TryEnqueue(id))
            {
                waiting++;
            }
        }

        if (waiting > 0)
        {
            Log.QueueFull(Logger, waiting);
        }
    }

    /// <summary>
    /// Saves the failures this process's runners could not (<see cref="UnsavedFailures"/>): each job ends as failed with
    /// its reason while it is still this process's. One the database still refuses waits for the next sweep.
    /// </summary>
    private async Task SaveUnsavedFailuresAsync(CancellationToken cancellationToken)
    {
        foreach (var (jobId, reason) in unsaved.All)
        {
            bool saved;
            try
            {
                saved = await store.EndAsync(jobId, JobStatus.Failed, reason, cancellationToken, instance.Id).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.FailureStillUnsaved(Logger, jobId, ex.Message);
                continue;
            }

            // Not saved: the job is no longer this process's (cancelled, or taken over by another node's sweep).
            unsaved.Remove(jobId);
            if (saved)
            {
                Log.FailureSaved(Logger, jobId);
                await ended.NotifyAsync(jobId).ConfigureAwait(false);
            }
        }
    }
}
