namespace VideoTracker.Core.Jobs;

/// <summary>The queue of <see cref="JobStore"/>: pending jobs' positions, and the claims that start a job.</summary>
public sealed partial class JobStore
{
    /// <summary>
    /// The 1-based position among pending jobs, oldest first, of each job in <paramref name="createdAt"/> (pending jobs,
    /// with their creation times), in one query (see <see cref="QueuePositions"/>), so a page of jobs costs one round
    /// trip, not one per row.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, int>> QueuePositionsAsync(IReadOnlyDictionary<Guid, DateTime> createdAt, CancellationToken cancellationToken)
    {
        if (createdAt.Count == 0)
        {
            return new Dictionary<Guid, int>();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await QueuePositions(db, createdAt).ToDictionaryAsync(p => p.JobId, p => p.Position, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Each job's position: one more than the pending jobs created before it. Both counts read only the index of pending
    /// jobs: those ahead of the oldest of the jobs asked about are counted once, and each job adds those from there to
    /// itself, so the cost follows the queue ahead of the page, never the ended jobs, and not the page's size times the
    /// queue's. The oldest time is a parameter, not a <c>min()</c> in the query, which PostgreSQL would answer by walking
    /// every job in creation order until it met one of the page.
    /// </summary>
    internal static IQueryable<QueuePosition> QueuePositions(VideoTrackerDbContext db, IReadOnlyDictionary<Guid, DateTime> createdAt)
    {
        var ids = createdAt.Keys.ToList();
        var oldest = createdAt.Values.Min();
        var pending = db.Jobs.Where(j => j.Status == JobStatus.Pending);
        return db.Jobs.Where(j => ids.Contains(j.JobId)).Select(j => new QueuePosition(
            j.JobId,
            pending.Count(o => o.CreatedAt < oldest) + pending.Count(o => o.CreatedAt >= oldest && o.CreatedAt < j.CreatedAt) + 1));
    }

    /// <summary>A pending job's place in the queue, 1 for the next to run.</summary>
    internal sealed record QueuePosition(Guid JobId, int Position);

    public async Task<IReadOnlyList<Guid>> PendingIdsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Pending)
            .OrderBy(j => j.CreatedAt).Select(j => j.JobId).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// PostgreSQL: claims the oldest pending job for one of <paramref name="tools"/> (those this node can run) in one
    /// statement (<see cref="ClaimNext"/>). Null when nothing it can run is pending.
    /// </summary>
    public async Task<Guid?> ClaimNextAsync(string owner, string worker, TimeSpan lease, IReadOnlyList<ToolKey> tools, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var claimed = await ClaimNext(db, UtcNow, owner, worker, lease, tools).ToListAsync(cancellationToken).ConfigureAwait(false);
        return claimed.Count == 1 ? claimed[0] : null;
    }

    /// <summary>
    /// The claim: a job's plugin and tool are compared as they are stored, side by side with the tools' two ids.
    /// <c>FOR UPDATE SKIP LOCKED</c> makes workers that wake together take different jobs, never the same one. The oldest
    /// pending job is the first entry of <c>ix_jobs_pending_created_at</c>: its condition (<c>status = 'pending'</c>) is
    /// written out in the subquery, not a parameter, so that every plan can use it, a generic one too (a parameter's
    /// value is unknown there); otherwise PostgreSQL may walk <c>ix_jobs_created_at</c> through every ended job.
    /// </summary>
    internal static IQueryable<Guid> ClaimNext(VideoTrackerDbContext db, DateTime now, string owner, string worker, TimeSpan lease, IReadOnlyList<ToolKey> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var pluginIds = tools.Select(t => t.PluginId).ToArray();
        var toolIds = tools.Select(t => t.ToolId).ToArray();
        return db.Database.SqlQuery<Guid>($"""
            UPDATE jobs
               SET status = {JobStatus.Running.ToWire()}, progress = 0, started_at = {now}, updated_at = {now}, error = NULL,
                   lease_owner = {owner}, lease_expires_at = {now + lease}, worker = {worker},
                   current_frame = 0, total_frames = NULL, fps = NULL, eta_seconds = NULL
             WHERE job_id = (SELECT job_id FROM jobs
                              WHERE status = 'pending'
                                AND (plugin_id, tool) IN (SELECT * FROM unnest({pluginIds}, {toolIds}))
                              ORDER BY created_at
                              LIMIT 1
                              FOR UPDATE SKIP LOCKED)
               AND status = {JobStatus.Pending.ToWire()}
            RETURNING job_id AS "Value"
            """);
    }

    /// <summary>Atomically moves a pending job to running and gives this process its lease; the counters start from 0.</summary>
    public async Task<bool> TryClaimAsync(Guid jobId, string owner, string worker, TimeSpan lease, CancellationToken cancellationToken)
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
                .SetProperty(j => j.LeaseExpiresAt, now + lease)
                .SetProperty(j => j.Worker, worker)
                .SetProperty(j => j.CurrentFrame, 0)
                .SetProperty(j => j.TotalFrames, (int?)null)
                .SetProperty(j => j.Fps, (double?)null)
                .SetProperty(j => j.EtaSeconds, (double?)null), cancellationToken).ConfigureAwait(false);
        return claimed == 1;
    }
}
