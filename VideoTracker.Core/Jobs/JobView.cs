namespace VideoTracker.Core.Jobs;

/// <summary>
/// A job as people and clients see it, built from its row alone (so every node shows the same): while it
/// runs, the live frame counters its worker writes; while it waits, its place in the queue. The API and the
/// UI both build it here, so the list and the detail always agree. A pending job that no running node can take says
/// why in <see cref="WaitingReason"/>.
/// </summary>
public sealed record JobView(
    VideoJob Job,
    int? CurrentFrame,
    int? TotalFrames,
    double? Fps,
    double? EtaSeconds,
    int? QueuePosition)
{
    public Guid JobId => Job.JobId;

    public JobStatus Status => Job.Status;

    public int? Progress => Job.Progress;

    /// <summary>While pending for a tool that no running node claims, why it waits (see <see cref="JobWaitingReasons"/>); else null.</summary>
    public string? WaitingReason { get; init; }

    /// <summary>The status fields of this view, as the status poll answers them.</summary>
    public JobStatusSnapshot StatusSnapshot() => new(
        JobId, Status, Progress, CurrentFrame, TotalFrames, Fps, EtaSeconds,
        Job.Error, Job.Attempts, Job.CreatedAt, Job.StartedAt, Job.UpdatedAt, Job.CompletedAt, Job.PluginId, Job.Tool)
    {
        QueuePosition = QueuePosition,
        WaitingReason = WaitingReason,
    };

    /// <summary>Wall time from start to end (or to now while running).</summary>
    public TimeSpan? Duration(DateTime utcNow) => Job.StartedAt is { } started
        ? (Job.CompletedAt ?? (Job.Status == JobStatus.Running ? utcNow : started)) - started
        : null;
}

/// <summary>One page of the job list, as views, with how many jobs the whole list has.</summary>
public sealed record JobViewSlice(IReadOnlyList<JobView> Jobs, int Count);

/// <summary>Builds <see cref="JobView"/>s from rows and queue positions.</summary>
public sealed class JobViews(JobStore store, JobStatusReader statusReader, JobWaitingReasons waiting)
{
    public async Task<JobView?> GetAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        return job is null ? null : await ToViewAsync(job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The status poll's answer: the status columns of the row, plus the queue position (and any waiting reason) while pending.</summary>
    public async Task<JobStatusSnapshot?> GetStatusAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var row = await statusReader.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        return row?.Status switch
        {
            null => null,
            JobStatus.Running => row,

            JobStatus.Pending => await PendingAsync(row, cancellationToken).ConfigureAwait(false),
            _ => WithoutCounters(row),
        };
    }

    /// <summary>A pending job's status row with its place in the queue and, if no running node claims its tool, why it waits.</summary>
    private async Task<JobStatusSnapshot> PendingAsync(JobStatusSnapshot row, CancellationToken cancellationToken)
    {
        var positions = await store.QueuePositionsAsync(new Dictionary<Guid, DateTime> { [row.JobId] = row.CreatedAt }, cancellationToken).ConfigureAwait(false);
        var runnable = await waiting.NowAsync(cancellationToken).ConfigureAwait(false);
        return WithoutCounters(row) with
        {
            QueuePosition = positions.GetValueOrDefault(row.JobId, 1),
            WaitingReason = runnable.ReasonFor(row.Status, new ToolKey(row.PluginId, row.Tool)),
        };
    }

    public async Task<JobViewSlice> ListAsync(JobListFilter filter, int limit, int offset, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(filter, limit, offset, cancellationToken).ConfigureAwait(false);
        return new JobViewSlice(await ToViewsAsync(page.Jobs, cancellationToken).ConfigureAwait(false), page.Count);
    }

    public async Task<JobView> ToViewAsync(VideoJob job, CancellationToken cancellationToken) =>
        (await ToViewsAsync([job], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Views of <paramref name="jobs"/>; the queue positions and the tools running nodes claim are read once, and only when a job is pending.</summary>
    private async Task<IReadOnlyList<JobView>> ToViewsAsync(IReadOnlyList<VideoJob> jobs, CancellationToken cancellationToken)
    {
        var pending = jobs.Where(j => j.Status == JobStatus.Pending).ToDictionary(j => j.JobId, j => j.CreatedAt);
        if (pending.Count == 0)
        {
            return [.. jobs.Select(job => ToView(job, new Dictionary<Guid, int>()))];
        }

        var positions = await store.QueuePositionsAsync(pending, cancellationToken).ConfigureAwait(false);
        var runnable = await waiting.NowAsync(cancellationToken).ConfigureAwait(false);
        return [.. jobs.Select(job => ToView(job, positions) with { WaitingReason = runnable.ReasonFor(job) })];
    }

    /// <summary>The live counters mean something only while the job runs, as in <see cref="ToView"/>.</summary>
    private static JobStatusSnapshot WithoutCounters(JobStatusSnapshot row) =>
        row with { CurrentFrame = null, TotalFrames = null, Fps = null, EtaSeconds = null };

    private static JobView ToView(VideoJob job, IReadOnlyDictionary<Guid, int> positions) => job.Status switch
    {
        JobStatus.Running => new JobView(job, job.CurrentFrame, job.TotalFrames, job.Fps, job.EtaSeconds, null),
        JobStatus.Pending => new JobView(job, null, null, null, null, positions.GetValueOrDefault(job.JobId, 1)),
        _ => new JobView(job, null, null, null, null, null),
    };
}
