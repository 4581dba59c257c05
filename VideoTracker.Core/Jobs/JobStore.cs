using Microsoft.EntityFrameworkCore;
using VideoTracker.Core.Data;

namespace VideoTracker.Core.Jobs;

/// <summary>A page of jobs, newest first, and how many match in all.</summary>
public sealed record JobPage(IReadOnlyList<VideoJob> Jobs, int Count);

/// <summary>
/// Every read and write of the <c>jobs</c> table. Each call uses its own short-lived context, so the
/// store is safe to share between workers, endpoints and components. State changes are single
/// conditional UPDATEs, so two writers can never both win.
/// </summary>
public sealed class JobStore(IDbContextFactory<VideoTrackerDbContext> contexts, TimeProvider time)
{
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

    public async Task<JobPage> ListAsync(JobStatus? status, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Jobs.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(j => j.Status == s);
        }

        var count = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        var jobs = await query.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.JobId)
            .Skip(offset).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new JobPage(jobs, count);
    }

    /// <summary>1-based position of a pending job among pending jobs, oldest first.</summary>
    public async Task<int> QueuePositionAsync(VideoJob job, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var ahead = await db.Jobs.CountAsync(
            j => j.Status == JobStatus.Pending && j.CreatedAt < job.CreatedAt, cancellationToken).ConfigureAwait(false);
        return ahead + 1;
    }

    public async Task<IReadOnlyList<Guid>> PendingIdsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Pending)
            .OrderBy(j => j.CreatedAt).Select(j => j.JobId).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Atomically moves a pending job to running and gives this process its lease.</summary>
    public async Task<bool> TryClaimAsync(Guid jobId, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var claimed = await db.Jobs.Where(j => j.JobId == jobId && j.Status == JobStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Running)
                .SetProperty(j => j.Progress, 0)
                .SetProperty(j => j.StartedAt, now)
                .SetProperty(j => j.UpdatedAt, now)
                .SetProperty(j => j.Error, (string?)null)
                .SetProperty(j => j.LeaseOwner, owner)
                .SetProperty(j => j.LeaseExpiresAt, now + lease), cancellationToken).ConfigureAwait(false);
        return claimed == 1;
    }

    /// <summary>Persists a higher percent for a running job. Progress never goes backwards.</summary>
    public async Task<bool> UpdateProgressAsync(Guid jobId, int percent, CancellationToken cancellationToken)
    {
        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.Where(j => j.JobId == jobId && j.Status == JobStatus.Running && (j.Progress == null || j.Progress < percent))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Progress, percent).SetProperty(j => j.UpdatedAt, now), cancellationToken)
            .ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>The worker's heartbeat: extends the lease of a job it still runs.</summary>
    public async Task<bool> RenewLeaseAsync(Guid jobId, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var until = UtcNow + lease;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.Where(j => j.JobId == jobId && j.Status == JobStatus.Running && j.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, until), cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    public async Task<bool> CompleteAsync(Guid jobId, string resultsPath, CancellationToken cancellationToken)
    {
        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.Where(j => j.JobId == jobId && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Completed)
                .SetProperty(j => j.Progress, 100)
                .SetProperty(j => j.ResultsPath, resultsPath)
                .SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.UpdatedAt, now)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>Ends an active job as failed or cancelled. Its last progress stays.</summary>
    public async Task<bool> EndAsync(Guid jobId, JobStatus status, string? error, CancellationToken cancellationToken)
    {
        if (status is not (JobStatus.Failed or JobStatus.Cancelled))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Only failed or cancelled end a job this way.");
        }

        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.Where(j => j.JobId == jobId && (j.Status == JobStatus.Running || j.Status == JobStatus.Pending))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.Error, error)
                .SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.UpdatedAt, now)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>Puts a running job back in the queue's state, for example when the app shuts down mid-job.</summary>
    public async Task<bool> ReleaseAsync(Guid jobId, string owner, CancellationToken cancellationToken)
    {
        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.Where(j => j.JobId == jobId && j.Status == JobStatus.Running && j.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Pending)
                .SetProperty(j => j.Progress, 0)
                .SetProperty(j => j.StartedAt, (DateTime?)null)
                .SetProperty(j => j.UpdatedAt, now)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>Running jobs that no live worker holds: from another process instance, or with an expired lease.</summary>
    public async Task<IReadOnlyList<VideoJob>> FindInterruptedAsync(string owner, IReadOnlyCollection<Guid> runningHere, CancellationToken cancellationToken)
    {
        var now = UtcNow;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var running = await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Running).ToListAsync(cancellationToken).ConfigureAwait(false);
        return running.Where(j => !runningHere.Contains(j.JobId) && (j.LeaseOwner != owner || j.LeaseExpiresAt is null || j.LeaseExpiresAt < now)).ToList();
    }

    /// <summary>
    /// Puts an interrupted job back to pending with one more attempt and progress from 0, or fails it
    /// once it has been interrupted <paramref name="maxAttempts"/> times. Returns the new status, or null
    /// when the job changed meanwhile.
    /// </summary>
    public async Task<JobStatus?> RecoverAsync(VideoJob job, int maxAttempts, CancellationToken cancellationToken)
    {
        var now = UtcNow;
        var attempts = job.Attempts + 1;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Jobs.Where(j => j.JobId == job.JobId && j.Status == JobStatus.Running && j.Attempts == job.Attempts);
        int rows;
        JobStatus status;
        if (attempts >= maxAttempts)
        {
            status = JobStatus.Failed;
            rows = await query.ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Failed)
                .SetProperty(j => j.Attempts, attempts)
                .SetProperty(j => j.Error, $"interrupted {attempts} times")
                .SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.UpdatedAt, now)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            status = JobStatus.Pending;
            rows = await query.ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Pending)
                .SetProperty(j => j.Attempts, attempts)
                .SetProperty(j => j.Progress, 0)
                .SetProperty(j => j.StartedAt, (DateTime?)null)
                .SetProperty(j => j.UpdatedAt, now)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken).ConfigureAwait(false);
        }

        return rows == 1 ? status : null;
    }

    /// <summary>Deletes the row only while the job is terminal, so an active job is never removed.</summary>
    public async Task<bool> DeleteTerminalAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs
            .Where(j => j.JobId == jobId && (j.Status == JobStatus.Completed || j.Status == JobStatus.Failed || j.Status == JobStatus.Cancelled))
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }

    /// <summary>Terminal jobs that ended before <paramref name="cutoff"/>, oldest first.</summary>
    public async Task<IReadOnlyList<Guid>> TerminalBeforeAsync(DateTime cutoff, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Jobs.AsNoTracking()
            .Where(j => (j.Status == JobStatus.Completed || j.Status == JobStatus.Failed || j.Status == JobStatus.Cancelled) && j.UpdatedAt < cutoff)
            .OrderBy(j => j.UpdatedAt).Select(j => j.JobId).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.Where(j => j.JobId == jobId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }
}
