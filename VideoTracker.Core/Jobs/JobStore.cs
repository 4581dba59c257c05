using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// Every read and write of the <c>jobs</c> table. Each call uses its own short-lived context, so the
/// store is safe to share between workers, endpoints and components. State changes are single
/// conditional UPDATEs, so two writers can never both win.
/// </summary>
public sealed partial class JobStore(IDbContextFactory<VideoTrackerDbContext> contexts, TimeProvider time)
{
    /// <summary><see cref="JobStatusExtensions.IsTerminal"/> as a query can say it: completed, failed or cancelled.</summary>
    private static readonly Expression<Func<VideoJob, bool>> IsTerminalJob =
        j => j.Status == JobStatus.Completed || j.Status == JobStatus.Failed || j.Status == JobStatus.Cancelled;

    /// <summary>The error of a job cancelled on request.</summary>
    public const string CancelledError = "Cancelled by request.";

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public async Task AddAsync(VideoJob job, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Jobs.Add(job);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<VideoJob?> FindAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.JobId == jobId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A page of the jobs that <paramref name="filter"/> lets through, newest first, and how many it lets through in all.</summary>
    public async Task<JobListSlice> ListAsync(JobListFilter filter, int limit, int offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Jobs.AsNoTracking();
        if (filter.Owner is { Username: var username })
        {
            query = query.Where(j => j.Owner == username);
        }

        if (filter.Status is { } s)
        {
            query = query.Where(j => j.Status == s);
        }

        if (filter.SearchTerm is { } term)
        {
            // Lowered on both sides: SQLite and PostgreSQL compare text case-sensitively by default, and EF translates
            // ToLower + Contains (LOWER and instr/strpos) on both, where the StringComparison overloads do not translate.
#pragma warning disable CA1862
            query = query.Where(j => j.OriginalFileName.ToLower().Contains(term)
                || j.Tool.ToLower().Contains(term)
                || j.PluginId.ToLower().Contains(term)
                || (j.Owner != null && j.Owner.ToLower().Contains(term)));
#pragma warning restore CA1862
        }

        // The page first: when it tells the total (PageTotal), the filter (a search reads every row) runs once, not twice.
        var jobs = await query.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.JobId)
            .Skip(offset).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        var count = PageTotal.FromPage(offset, limit, jobs.Count) ?? await query.CountAsync(cancellationToken).ConfigureAwait(false);
        return new JobListSlice(jobs, count);
    }

    /// <summary>Terminal jobs that ended before <paramref name="cutoff"/>, oldest first.</summary>
    public async Task<IReadOnlyList<Guid>> TerminalBeforeAsync(DateTime cutoff, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await TerminalBefore(db, cutoff, limit).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The query of <see cref="TerminalBeforeAsync"/>: the first <paramref name="limit"/> entries of
    /// <c>ix_jobs_ended_updated_at</c>, whose condition is <see cref="IsTerminalJob"/>'s, so a batch reads its own rows only.
    /// </summary>
    internal static IQueryable<Guid> TerminalBefore(VideoTrackerDbContext db, DateTime cutoff, int limit) =>
        db.Jobs.AsNoTracking().Where(IsTerminalJob).Where(j => j.UpdatedAt < cutoff)
            .OrderBy(j => j.UpdatedAt).Select(j => j.JobId).Take(limit);

    /// <summary>
    /// Persists a higher percent for a job this worker runs, with the frame counters of the same moment, so
    /// the two never disagree. Progress never goes backwards.
    /// </summary>
    public async Task<bool> UpdateProgressAsync(Guid jobId, string owner, int percent, LiveCounters live, CancellationToken cancellationToken)
    {
        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs
            .Where(j => j.JobId == jobId && j.Status == JobStatus.Running && j.LeaseOwner == owner && (j.Progress == null || j.Progress < percent))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Progress, percent)
                .SetProperty(j => j.CurrentFrame, live.CurrentFrame)
                .SetProperty(j => j.TotalFrames, live.TotalFrames)
                .SetProperty(j => j.Fps, live.Fps)
                .SetProperty(j => j.EtaSeconds, live.EtaSeconds)
                .SetProperty(j => j.UpdatedAt, now), cancellationToken)
            .ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>
    /// The worker's heartbeat, one write: extends the lease and stores the live counters, unless a cancel was
    /// requested or the job is no longer this worker's (then one read tells which).
    /// </summary>
    public async Task<HeartbeatOutcome> HeartbeatAsync(Guid jobId, string owner, TimeSpan lease, LiveCounters live, CancellationToken cancellationToken)
    {
        var until = UtcNow + lease;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs
            .Where(j => j.JobId == jobId && j.Status == JobStatus.Running && j.LeaseOwner == owner && j.CancelRequestedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.LeaseExpiresAt, until)
                .SetProperty(j => j.CurrentFrame, live.CurrentFrame)
                .SetProperty(j => j.TotalFrames, live.TotalFrames)
                .SetProperty(j => j.Fps, live.Fps)
                .SetProperty(j => j.EtaSeconds, live.EtaSeconds), cancellationToken)
            .ConfigureAwait(false);
        if (rows == 1)
        {
            return HeartbeatOutcome.Renewed;
        }

        var stillMine = await db.Jobs.AsNoTracking()
            .AnyAsync(j => j.JobId == jobId && j.Status == JobStatus.Running && j.LeaseOwner == owner, cancellationToken).ConfigureAwait(false);
        return stillMine ? HeartbeatOutcome.CancelRequested : HeartbeatOutcome.Lost;
    }

    /// <summary>Whether someone asked to cancel this running job (for a worker woken by a notification).</summary>
    public async Task<bool> IsCancelRequestedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Jobs.AsNoTracking()
            .AnyAsync(j => j.JobId == jobId && j.Status == JobStatus.Running && j.CancelRequestedAt != null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks a running job for cancellation; its worker, on whichever node, stops when it sees this.</summary>
    public async Task<bool> RequestCancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.Where(j => j.JobId == jobId && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequestedAt, j => j.CancelRequestedAt ?? now), cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>Completes a job this worker still holds: a job taken over by another worker is never completed twice.</summary>
    public async Task<bool> CompleteAsync(Guid jobId, string owner, string resultsPath, LiveCounters live, CancellationToken cancellationToken)
    {
        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.Where(j => j.JobId == jobId && j.Status == JobStatus.Running && j.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => Completed(s, now, resultsPath)
                .SetProperty(j => j.CurrentFrame, live.CurrentFrame)
                .SetProperty(j => j.TotalFrames, live.TotalFrames)
                .SetProperty(j => j.Fps, live.Fps), cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>
    /// Ends an active job as failed or cancelled. Its last progress stays. With an <paramref name="owner"/>, only
    /// while that worker still holds it (a worker ending its own run); without, only while it is pending (a cancel of a
    /// job read as pending): one that a worker claimed meanwhile is that worker's to end, never ended under it.
    /// </summary>
    public async Task<bool> EndAsync(Guid jobId, JobStatus status, string? error, CancellationToken cancellationToken, string? owner = null)
    {
        if (status is not (JobStatus.Failed or JobStatus.Cancelled))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Only failed or cancelled end a job this way.");
        }

        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs
            .Where(j => j.JobId == jobId && (owner == null ? j.Status == JobStatus.Pending : j.Status == JobStatus.Running && j.LeaseOwner == owner))
            .ExecuteUpdateAsync(s => Ended(s, now)
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.Error, error), cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>
    /// Puts a running job back in the queue's state, for example when the app shuts down mid-job; one whose cancel
    /// was requested ends as cancelled instead. Returns the new status, or null when the job is no longer this worker's.
    /// </summary>
    public async Task<JobStatus?> ReleaseAsync(Guid jobId, string owner, CancellationToken cancellationToken)
    {
        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Jobs.Where(j => j.JobId == jobId && j.Status == JobStatus.Running && j.LeaseOwner == owner);
        if (await EndCancelRequestedAsync(query, now, s => s, cancellationToken).ConfigureAwait(false))
        {
            return JobStatus.Cancelled;
        }

        var rows = await query.Where(j => j.CancelRequestedAt == null)
            .ExecuteUpdateAsync(s => BackInQueue(s, now), cancellationToken).ConfigureAwait(false);
        return rows == 1 ? JobStatus.Pending : null;
    }

    /// <summary>
    /// Running jobs that no live worker holds: those with an expired lease and, when this process is the only
    /// one that can run jobs (SQLite), those of any other process instance.
    /// </summary>
    public async Task<IReadOnlyList<VideoJob>> FindInterruptedAsync(
        string owner, IReadOnlyCollection<Guid> runningHere, bool onlyProcess, CancellationToken cancellationToken)
    {
        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var running = await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Running).ToListAsync(cancellationToken).ConfigureAwait(false);
        return running.Where(j => IsInterrupted(j, owner, runningHere, onlyProcess, now)).ToList();
    }

    /// <summary>
    /// Whether the running job <paramref name="job"/> has no live worker: not run by this process, and its lease has
    /// expired (or has none), or, when this process is the only one (<paramref name="onlyProcess"/>), is another's.
    /// </summary>
    public static bool IsInterrupted(VideoJob job, string owner, IReadOnlyCollection<Guid> runningHere, bool onlyProcess, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(runningHere);
        return !runningHere.Contains(job.JobId)
            && ((onlyProcess && job.LeaseOwner != owner) || job.LeaseExpiresAt is null || job.LeaseExpiresAt < now);
    }

    /// <summary>
    /// Puts an interrupted job back to pending with one more attempt and progress from 0, or fails it
    /// once it has been interrupted <paramref name="maxAttempts"/> times; a job whose cancel was requested while its
    /// worker was gone ends as cancelled (never run again only to be cancelled then). Returns the new status, or null
    /// when the job changed meanwhile.
    /// </summary>
    public async Task<JobStatus?> RecoverAsync(VideoJob job, int maxAttempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = UtcNow;
        var attempts = job.Attempts + 1;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Jobs.Where(j => j.JobId == job.JobId && j.Status == JobStatus.Running && j.Attempts == job.Attempts);
        if (await EndCancelRequestedAsync(query, now, s => s.SetProperty(j => j.Attempts, attempts), cancellationToken).ConfigureAwait(false))
        {
            return JobStatus.Cancelled;
        }

        query = query.Where(j => j.CancelRequestedAt == null);
        int rows;
        JobStatus status;
        if (attempts >= maxAttempts)
        {
            status = JobStatus.Failed;
            rows = await query.ExecuteUpdateAsync(s => Ended(s, now)
                .SetProperty(j => j.Status, JobStatus.Failed)
                .SetProperty(j => j.Attempts, attempts)
                .SetProperty(j => j.Error, $"interrupted {attempts} times"), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            status = JobStatus.Pending;
            rows = await query.ExecuteUpdateAsync(s => BackInQueue(s, now)
                .SetProperty(j => j.Attempts, attempts), cancellationToken).ConfigureAwait(false);
        }

        return rows == 1 ? status : null;
    }

    /// <summary>
    /// Completes an interrupted job whose run had moved its whole results into place before its worker could save the
    /// completion (the database was away). Its attempts stay. True unless the job changed meanwhile.
    /// </summary>
    public async Task<bool> CompleteInterruptedAsync(VideoJob job, string resultsPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.Where(j => j.JobId == job.JobId && j.Status == JobStatus.Running && j.Attempts == job.Attempts)
            .ExecuteUpdateAsync(s => Completed(s, now, resultsPath)
                .SetProperty(j => j.CurrentFrame, j => j.TotalFrames ?? j.CurrentFrame), cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>Ends the job <paramref name="query"/> selects as cancelled, when a cancel was requested; true when it did.</summary>
    private static async Task<bool> EndCancelRequestedAsync(
        IQueryable<VideoJob> query, DateTime now, Func<UpdateSettersBuilder<VideoJob>, UpdateSettersBuilder<VideoJob>> also, CancellationToken cancellationToken)
    {
        var rows = await query.Where(j => j.CancelRequestedAt != null)
            .ExecuteUpdateAsync(s => also(Ended(s, now)
                .SetProperty(j => j.Status, JobStatus.Cancelled)
                .SetProperty(j => j.Error, CancelledError)), cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>The columns every ending sets (completed, failed or cancelled): when it ended, and no lease.</summary>
    private static UpdateSettersBuilder<VideoJob> Ended(UpdateSettersBuilder<VideoJob> s, DateTime now) => s
        .SetProperty(j => j.CompletedAt, now)
        .SetProperty(j => j.UpdatedAt, now)
        .SetProperty(j => j.LeaseOwner, (string?)null)
        .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null);

    /// <summary>A completed job: ended, progress 100, its results where they lie, nothing left to wait for.</summary>
    private static UpdateSettersBuilder<VideoJob> Completed(UpdateSettersBuilder<VideoJob> s, DateTime now, string resultsPath) => Ended(s, now)
        .SetProperty(j => j.Status, JobStatus.Completed)
        .SetProperty(j => j.Progress, 100)
        .SetProperty(j => j.ResultsPath, resultsPath)
        .SetProperty(j => j.EtaSeconds, 0d);

    /// <summary>A job back in the queue: pending, progress 0, no live counters, not started, no lease.</summary>
    private static UpdateSettersBuilder<VideoJob> BackInQueue(UpdateSettersBuilder<VideoJob> s, DateTime now) => s
        .SetProperty(j => j.Status, JobStatus.Pending)
        .SetProperty(j => j.Progress, 0)
        .SetProperty(j => j.CurrentFrame, (int?)null)
        .SetProperty(j => j.TotalFrames, (int?)null)
        .SetProperty(j => j.Fps, (double?)null)
        .SetProperty(j => j.EtaSeconds, (double?)null)
        .SetProperty(j => j.StartedAt, (DateTime?)null)
        .SetProperty(j => j.UpdatedAt, now)
        .SetProperty(j => j.LeaseOwner, (string?)null)
        .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null);
}
