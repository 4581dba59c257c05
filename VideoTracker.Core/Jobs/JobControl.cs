namespace VideoTracker.Core.Jobs;

public enum JobControlResult
{
    Done,
    NotFound,
    Conflict,
}

/// <summary>What a cancel or delete did, with the job's status afterwards.</summary>
public sealed record JobControlOutcome(JobControlResult Result, JobStatus? Status);

/// <summary>
/// Cancel and delete, shared by the API and the UI. A pending job is cancelled in the database; a running
/// one is asked to stop, and its tool notices within one frame; its worker then marks it cancelled and
/// removes its partial outputs.
/// </summary>
public sealed class JobControl(JobStore store, RunningJobs running, JobFiles files, TimeProvider time)
{
    /// <summary>How long a cancel waits for a running tool to stop before it answers.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    public async Task<JobControlOutcome> CancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return new JobControlOutcome(JobControlResult.NotFound, null);
        }

        if (job.Status.IsTerminal())
        {
            return new JobControlOutcome(JobControlResult.Conflict, job.Status);
        }

        if (running.TryCancel(jobId) is { } stopped)
        {
            try
            {
                await stopped.WaitAsync(StopWait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return new JobControlOutcome(JobControlResult.Done, JobStatus.Running);
            }

            var now = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
            return new JobControlOutcome(JobControlResult.Done, now?.Status);
        }

        // Pending, or running in no live worker of this process: end it here.
        if (await store.EndAsync(jobId, JobStatus.Cancelled, "Cancelled by request.", cancellationToken).ConfigureAwait(false))
        {
            files.DeletePartialResults(jobId);
            return new JobControlOutcome(JobControlResult.Done, JobStatus.Cancelled);
        }

        var latest = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        return latest is null
            ? new JobControlOutcome(JobControlResult.NotFound, null)
            : new JobControlOutcome(latest.Status.IsTerminal() ? JobControlResult.Conflict : JobControlResult.Done, latest.Status);
    }

    /// <summary>Removes a terminal job and every file it has. Active jobs are refused.</summary>
    public async Task<JobControlOutcome> DeleteAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return new JobControlOutcome(JobControlResult.NotFound, null);
        }

        if (!job.Status.IsTerminal())
        {
            return new JobControlOutcome(JobControlResult.Conflict, job.Status);
        }

        if (!await store.DeleteTerminalAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            var latest = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
            return new JobControlOutcome(latest is null ? JobControlResult.NotFound : JobControlResult.Conflict, latest?.Status);
        }

        files.DeleteAll(jobId);
        return new JobControlOutcome(JobControlResult.Done, null);
    }
}
