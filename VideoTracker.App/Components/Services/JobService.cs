using VideoTracker.Core.Evaluation;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Plugins;
using VideoTracker.Core.Results;
using VideoTracker.Core.Tracking;
using VideoTracker.Core.Video;

namespace VideoTracker.App.Components.Services;

/// <summary>The scoped job service of a circuit: a thin layer over Core's job views, store and results.</summary>
public sealed class JobService(
    JobViews views,
    JobFiles files,
    JobControl control,
    JobSubmitter submitter,
    PluginRegistry registry,
    DeviceCatalog devices,
    PreviewVideos previews) : IJobService
{
    /// <summary>The chart shows at most this many points, however long the clip.</summary>
    public const int MaxTimelinePoints = 120;

    public long MaxUploadBytes => submitter.MaxUploadBytes;

    public IReadOnlyList<IVideoPlugin> Plugins { get; } = [.. registry.Plugins.OrderBy(p => p.Title, StringComparer.OrdinalIgnoreCase)];

    public IReadOnlyList<string> Devices => devices.Devices;

    public Task<JobView?> GetJobAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        views.GetAsync(jobId, cancellationToken);

    public async Task<JobListPage> ListJobsAsync(JobStatus? status, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        var (jobs, count) = await views.ListAsync(status, pageSize, page * pageSize, cancellationToken).ConfigureAwait(false);
        return new JobListPage(jobs, count);
    }

    public async Task<JobResultsView?> GetResultsAsync(VideoJob job, CancellationToken cancellationToken = default)
    {
        if (job.Status != JobStatus.Completed || files.ExistingResults(job) is not { } directory)
        {
            return null;
        }

        // Only summary.json and the stored series: a page view never re-reads the frames.
        var summary = await ResultsReader.ReadSummaryAsync(directory, cancellationToken).ConfigureAwait(false);
        var series = await DetectionSeries.LoadOrBuildAsync(directory, cancellationToken).ConfigureAwait(false);
        var timeline = series.ToDocument(MaxTimelinePoints).Buckets
            .Where(b => b.Frames > 0)
            .Select(b => new TimelinePoint(b.StartMs / 1000.0, b.Mean))
            .ToList();
        return new JobResultsView(summary, timeline);
    }

    public PreviewState GetPreviewState(Guid jobId) => previews.StateOf(jobId);

    public async Task<IReadOnlyList<TrackRow>?> GetTracksAsync(VideoJob job, CancellationToken cancellationToken = default) =>
        job.Status == JobStatus.Completed && files.ExistingResults(job) is { } directory
            ? await TrackTableBuilder.ReadAsync(directory, cancellationToken).ConfigureAwait(false)
            : null;

    public async Task<EvaluationResult> EvaluateAsync(VideoJob job, Stream groundTruth, EvaluationSettings settings, CancellationToken cancellationToken = default)
    {
        if (job.Status != JobStatus.Completed || files.ExistingResults(job) is not { } directory)
        {
            return new EvaluationResult.NoTracks("The job has no results to evaluate.");
        }

        using var reader = new StreamReader(groundTruth);
        return await JobEvaluation.EvaluateAsync(directory, reader, settings, cancellationToken).ConfigureAwait(false);
    }

    public Task<JobControlOutcome> CancelAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        control.CancelAsync(jobId, cancellationToken);

    public Task<JobControlOutcome> DeleteAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        control.DeleteAsync(jobId, cancellationToken);

    public string? ValidateSubmission(string? pluginId, string? tool, string? device, IReadOnlyDictionary<string, string?> options)
    {
        submitter.Resolve(pluginId, tool, device, options, out var error);
        return error;
    }
}
