namespace VideoTracker.Core.Jobs;

/// <summary>
/// A job as people and clients see it, built from its row alone (so every node shows the same): while it
/// runs, the live frame counters its worker writes; while it waits, its place in the queue. The API and the
/// UI both build it here, so the list and the detail always agree.
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

    /// <summary>Wall time from start to end (or to now while running).</summary>
    public TimeSpan? Duration(DateTime utcNow) => Job.StartedAt is { } started
        ? (Job.CompletedAt ?? (Job.Status == JobStatus.Running ? utcNow : started)) - started
        : null;
}

/// <summary>Builds <see cref="JobView"/>s from rows and queue positions.</summary>
public sealed class JobViews(JobStore store)
{
    public async Task<JobView?> GetAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await store.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        return job is null ? null : await ToViewAsync(job, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(IReadOnlyList<JobView> Jobs, int Count)> ListAsync(JobStatus? status, int limit, int offset, CancellationToken cancellationToken, JobOwnerFilter? owner = null)
    {
        var page = await store.ListAsync(status, limit, offset, cancellationToken, owner).ConfigureAwait(false);
        var views = new List<JobView>(page.Jobs.Count);
        foreach (var job in page.Jobs)
        {
            views.Add(await ToViewAsync(job, cancellationToken).ConfigureAwait(false));
        }

        return (views, page.Count);
    }

    public async Task<JobView> ToViewAsync(VideoJob job, CancellationToken cancellationToken)
    {
        switch (job.Status)
        {
            case JobStatus.Running:
                return new JobView(job, job.CurrentFrame, job.TotalFrames, job.Fps, job.EtaSeconds, null);
            case JobStatus.Pending:
                var position = await store.QueuePositionAsync(job, cancellationToken).ConfigureAwait(false);
                return new JobView(job, null, null, null, null, position);
            default:
                return new JobView(job, null, null, null, null, null);
        }
    }
}
