namespace VideoTracker.Core.Jobs;

/// <summary>
/// Running jobs that no live worker holds, and what becomes of each: one set of rules for the recovery sweep
/// (<see cref="JobRecoveryService"/>) and for a cancel sent to such a job (<see cref="JobControl.CancelAsync"/>).
/// A run that had moved its whole results into place completes, cancel requested or not (its worker, too, completes a
/// run whose results are in place); any other goes back to the queue, ends cancelled when a cancel was requested, or
/// fails after <c>Jobs:MaxAttempts</c>; either way what the run left half-written is removed.
/// </summary>
public sealed class InterruptedJobs(
    JobStore store,
    RunningJobs running,
    UnsavedFailures unsaved,
    IOptions<DatabaseOptions> database,
    JobFiles files,
    ProcessInstance instance,
    JobEndedNotifier ended,
    IOptions<JobsOptions> options,
    ILogger<InterruptedJobs> logger)
{
    /// <summary>SQLite: this process is the only one that runs jobs, so a running job of any other process has no worker.</summary>
    public bool OnlyProcess => database.Value.Kind == DatabaseProvider.Sqlite;

    public Task<IReadOnlyList<VideoJob>> FindAsync(CancellationToken cancellationToken) =>
        store.FindInterruptedAsync(instance.Id, running.Ids, OnlyProcess, cancellationToken);

    /// <summary>Whether <paramref name="job"/>, as just read, is running with no live worker (as <see cref="FindAsync"/> would find it).</summary>
    public bool IsInterrupted(VideoJob job) =>
        job.Status == JobStatus.Running && JobStore.IsInterrupted(job, instance.Id, running.Ids, OnlyProcess, store.UtcNow);

    /// <summary>
    /// Ends or requeues one interrupted job (see the class), removes its half-written files and announces an ending.
    /// Returns its new status, or null when it was left as it is: it changed meanwhile, or this process failed it and
    /// could not save that yet (<see cref="UnsavedFailures"/>: saved as failed later, never run again).
    /// </summary>
    public async Task<JobStatus?> RecoverAsync(VideoJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (unsaved.Contains(job.JobId))
        {
            return null;
        }

        JobStatus? status = files.FinishedResultsPath(job.JobId) is { } results
            ? await store.CompleteInterruptedAsync(job, results, cancellationToken).ConfigureAwait(false) ? JobStatus.Completed : null
            : await store.RecoverAsync(job, options.Value.MaxAttempts, cancellationToken).ConfigureAwait(false);
        if (status is not { } now)
        {
            return null;
        }

        files.DeleteInterruptedRunFiles(job.JobId);
        Log.JobRecovered(logger, job.JobId, job.Attempts + 1, now.ToWire());
        if (now.IsTerminal())
        {
            await ended.NotifyAsync(job.JobId).ConfigureAwait(false);
        }

        return now;
    }
}
