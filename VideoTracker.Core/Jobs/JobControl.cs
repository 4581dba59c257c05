using System.Diagnostics;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// What a cancel or delete did: carried out (<see cref="Cancelled"/> with the job's status now, or
/// <see cref="Deleted"/>), or refused because the job does not exist or is in the wrong state. The hierarchy is
/// closed (private constructor), and <see cref="Match{T}"/> takes one function per answer.
/// </summary>
public abstract record JobControlOutcome
{
    private JobControlOutcome()
    {
    }

    /// <summary>The cancel was carried out or handed to the job's worker. <paramref name="Status"/> is the job's status now:
    /// cancelled, still running when its tool did not stop within <see cref="JobControl.StopWait"/>, or how it ended first.</summary>
    public sealed record Cancelled(JobStatus Status) : JobControlOutcome;

    /// <summary>The job and every file it had are gone.</summary>
    public sealed record Deleted : JobControlOutcome;

    public sealed record NotFound : JobControlOutcome;

    /// <summary>Refused because of the job's <paramref name="Status"/> (already ended, or still active).</summary>
    public sealed record Conflict(JobStatus Status) : JobControlOutcome;

    /// <summary>Whether the cancel or delete was carried out.</summary>
    public bool IsDone => this is Cancelled or Deleted;

    public T Match<T>(Func<T> done, Func<T> notFound, Func<JobStatus, T> conflict)
    {
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(notFound);
        ArgumentNullException.ThrowIfNull(conflict);
        return this switch
        {
            Conflict refused => conflict(refused.Status),
            NotFound => notFound(),
            Cancelled or Deleted => done(),
            _ => throw new UnreachableException(),
        };
    }
}

/// <summary>
/// Cancel and delete, shared by the API and the UI. A pending job is cancelled in the database. A running one
/// gets <c>cancel_requested_at</c> on its row: a job that runs in this process is stopped at once, one on another
/// node stops at its worker's next heartbeat (or notification); either way its tool notices within one frame,
/// and its worker marks it cancelled and removes its partial outputs. One that no live worker holds ends at once as the
/// recovery sweep ends it (<see cref="InterruptedJobs"/>).
/// </summary>
public sealed class JobControl(
    JobStore store, RunningJobs running, IJobSignals signals, JobFiles files, TimeProvider time, InterruptedJobs interrupted, JobEndedNotifier ended,
    PreviewVideos previews)
{
    /// <summary>How long a cancel waits for a running tool to stop before it answers.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public async Task<JobControlOutcome> CancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return new JobControlOutcome.NotFound();
        }

        if (job.Status.IsTerminal())
        {
            return new JobControlOutcome.Conflict(job.Status);
        }

        if (job.Status == JobStatus.Pending && await EndHereAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            return new JobControlOutcome.Cancelled(JobStatus.Cancelled);
        }

        // Running (or claimed just now): the row carries the request to whichever node runs it.
        if (await store.RequestCancelAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            await signals.CancelRequestedAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        else if (await EndHereAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            // Claimed after it was read as pending, and put back in the queue since (its worker stopping): pending again.
            return new JobControlOutcome.Cancelled(JobStatus.Cancelled);
        }

        if (running.TryStop(jobId, StopReason.CancelRequested) is { } stopped)
        {
            try
            {
                await stopped.WaitAsync(StopWait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return new JobControlOutcome.Cancelled(JobStatus.Running);
            }

            return await OutcomeAsync(jobId, cancellationToken).ConfigureAwait(false);
        }

        // No live worker holds it (its lease expired, or on SQLite another process's): it ends now as the recovery
        // sweep would end it, with the cancel requested above: cancelled, or completed when its whole results are in place.
        job = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is not null && interrupted.IsInterrupted(job))
        {
            await interrupted.RecoverAsync(job, cancellationToken).ConfigureAwait(false);
            return await OutcomeAsync(jobId, cancellationToken).ConfigureAwait(false);
        }

        // On SQLite there is no other node: a job still running here that no worker holds is this process's own, whose run
        // ended without saving its end (JobRunner). Nobody is there to see the request; the recovery sweep ends it, with the
        // request saved above, once its lease runs out.
        if (interrupted.OnlyProcess)
        {
            return await OutcomeAsync(jobId, cancellationToken).ConfigureAwait(false);
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
        if (!await store.EndAsync(jobId, JobStatus.Cancelled, JobStore.CancelledError, cancellationToken).ConfigureAwait(false))
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
            ? new JobControlOutcome.NotFound()
            : new JobControlOutcome.Cancelled(latest.Status);
    }

    /// <summary>Removes a terminal job and every file it has. Active jobs are refused.</summary>
    public async Task<JobControlOutcome> DeleteAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return new JobControlOutcome.NotFound();
        }

        if (!job.Status.IsTerminal())
        {
            return new JobControlOutcome.Conflict(job.Status);
        }

        if (!await store.DeleteTerminalAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            var latest = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
            return latest is null ? new JobControlOutcome.NotFound() : new JobControlOutcome.Conflict(latest.Status);
        }

        await previews.ForgetAsync(jobId).ConfigureAwait(false);
        files.DeleteAll(jobId);
        return new JobControlOutcome.Deleted();
    }
}
