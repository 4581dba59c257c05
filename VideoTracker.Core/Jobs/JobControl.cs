using Microsoft.Extensions.Options;
using VideoTracker.Core.Data;

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
/// Cancel and delete, shared by the API and the UI. A pending job is cancelled in the database. A running one
/// gets <c>cancel_requested_at</c> on its row: a job that runs in this process is stopped at once, one on another
/// node stops at its worker's next heartbeat (or notification); either way its tool notices within one frame,
/// and its worker marks it cancelled and removes its partial outputs.
/// </summary>
public sealed class JobControl(
    JobStore store, RunningJobs running, IJobSignals signals, JobFiles files, TimeProvider time, IOptions<DatabaseOptions> database, JobEndedNotifier ended)
{
    /// <summary>How long a cancel waits for a running tool to stop before it answers.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

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

        if (job.Status == JobStatus.Pending && await EndHereAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            return new JobControlOutcome(JobControlResult.Done, JobStatus.Cancelled);
        }

        // Running (or claimed just now): the row carries the request to whichever node runs it.
        if (await store.RequestCancelAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            await signals.CancelRequestedAsync(jobId, cancellationToken).ConfigureAwait(false);
        }

        if (running.TryStop(jobId, StopReason.CancelRequested) is { } stopped)
        {
            try
            {
                await stopped.WaitAsync(StopWait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return new JobControlOutcome(JobControlResult.Done, JobStatus.Running);
            }

            return await OutcomeAsync(jobId, cancellationToken).ConfigureAwait(false);
        }

        // No live worker can hold it: one process owns a SQLite database, and an expired lease has no holder.
        job = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        var orphaned = database.Value.Kind == DatabaseProvider.Sqlite || job?.LeaseExpiresAt is null || job.LeaseExpiresAt < store.UtcNow;
        if (job is { Status: JobStatus.Running } && orphaned && await EndHereAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            return new JobControlOutcome(JobControlResult.Done, JobStatus.Cancelled);
        }

        // Another node runs it: wait for its worker to see the request and save the outcome.
        var deadline = time.GetUtcNow() + StopWait;
        while (time.GetUtcNow() < deadline)
        {
            var latest = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (latest is null || latest.Status.IsTerminal())
            {
                break;
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }

        return await OutcomeAsync(jobId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> EndHereAsync(Guid jobId, CancellationToken cancellationToken)
    {
        if (!await store.EndAsync(jobId, JobStatus.Cancelled, "Cancelled by request.", cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        files.DeletePartialResults(jobId);
        await ended.NotifyAsync(jobId).ConfigureAwait(false);
        return true;
    }

    private async Task<JobControlOutcome> OutcomeAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var latest = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        return latest is null
            ? new JobControlOutcome(JobControlResult.NotFound, null)
            : new JobControlOutcome(JobControlResult.Done, latest.Status);
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
