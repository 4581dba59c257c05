using VideoTracker.Core.Evaluation;
using VideoTracker.Core.Tracking;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.App.Components.Services;

/// <summary>
/// Everything the pages read about jobs, plugins and results. The only part of the UI that touches the
/// database or the results files; components call it and never hold a DbContext.
/// </summary>
public interface IJobService
{
    /// <summary>Largest upload the server takes, in bytes.</summary>
    long MaxUploadBytes { get; }

    IReadOnlyList<IVideoPlugin> Plugins { get; }

    IReadOnlyList<string> Devices { get; }

    Task<JobView?> GetJobAsync(Guid jobId, CancellationToken cancellationToken = default);

    /// <summary>A page of the jobs the signed-in user may see that <paramref name="filter"/> lets through (its owner part is the service's to set).</summary>
    Task<JobViewSlice> ListJobsAsync(JobListFilter filter, int page, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>The summary and timeline of a completed job, or null when it has no results on disk.</summary>
    Task<JobResultsView?> GetResultsAsync(VideoJob job, CancellationToken cancellationToken = default);

    /// <summary>Whether the job's browser preview is ready, being made (with its percent), not started, or impossible here.</summary>
    PreviewState GetPreviewState(Guid jobId);

    /// <summary>Starts making the browser preview of a job the user may see, unless it is ready or being made; then says where it stands.</summary>
    Task<PreviewState> StartPreviewAsync(Guid jobId, CancellationToken cancellationToken = default);

    /// <summary>The track table of a completed tracking job, or null when it has none.</summary>
    Task<IReadOnlyList<TrackRow>?> GetTracksAsync(VideoJob job, CancellationToken cancellationToken = default);

    /// <summary>A counting job's settings as it was submitted (zones, anchor, trails), or null when its tool does not count.</summary>
    CountingSettings? GetCounting(VideoJob job);

    /// <summary>The event log and counts of a completed counting job, or null when it has none.</summary>
    Task<EventLog?> GetEventsAsync(VideoJob job, CancellationToken cancellationToken = default);

    /// <summary>The job's webhook deliveries, oldest first (the rows behind <c>GET /v1/jobs/{id}/webhooks</c>).</summary>
    Task<IReadOnlyList<WebhookDeliveryView>> GetWebhookDeliveriesAsync(Guid jobId, CancellationToken cancellationToken = default);

    /// <summary>Scores a completed job's tracks against MOTChallenge ground truth (the rules of <c>POST /v1/jobs/{id}/evaluate</c>).</summary>
    Task<EvaluationResult> EvaluateAsync(VideoJob job, Stream groundTruth, EvaluationSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Cancels a pending or running job (the same rules as <c>POST /v1/jobs/{id}/cancel</c>).</summary>
    Task<JobControlOutcome> CancelAsync(Guid jobId, CancellationToken cancellationToken = default);

    /// <summary>Deletes an ended job and its files (the same rules as <c>DELETE /v1/jobs/{id}</c>).</summary>
    Task<JobControlOutcome> DeleteAsync(Guid jobId, CancellationToken cancellationToken = default);

    /// <summary>Runs a job again on its own clip (the rules of <c>POST /v1/jobs/{id}/rerun</c>), as the signed-in user.</summary>
    Task<SubmitResult> RerunAsync(Guid jobId, RerunCommand command, CancellationToken cancellationToken = default);

    /// <summary>Whether the signed-in user may upload (members and admins).</summary>
    Task<bool> CanSubmitAsync();

    /// <summary>Whether the signed-in user may cancel or delete this job (its owner, or an admin).</summary>
    Task<bool> CanChangeAsync(VideoJob job);

    /// <summary>Checks plugin, tool, device and options the way a submit will; null when they are valid, else the refusal (naming the option when one is wrong).</summary>
    SubmitResult.Refused? ValidateSubmission(string? pluginId, string? tool, string? device, IReadOnlyDictionary<string, string?> options);
}

/// <summary>Detections in one slice of the clip, for the chart.</summary>
public sealed record TimelinePoint(double StartSeconds, double Detections);

/// <summary>
/// The part of the clip a job analysed when it stopped short of the clip's end (<c>max_frames</c>): frames 0 to
/// <see cref="Frames"/> − 1 of <see cref="ClipFrames"/> (<see cref="ResultSummary.ClipFrames"/>), the last analysed one at <see cref="LastMs"/>.
/// </summary>
public sealed record AnalysedRange(int Frames, int ClipFrames, double LastMs)
{
    /// <summary>The analysed share of the clip's frames, from 0 to 1.</summary>
    public double Fraction => ClipFrames > 0 ? Math.Clamp((double)Frames / ClipFrames, 0, 1) : 1;

    /// <summary>"Analysed frames 0–99 of 795 (0:00–0:09)".</summary>
    public string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"Analysed frames 0–{Frames - 1:N0} of {ClipFrames:N0} ({DisplayFormat.ClipTime(0)}–{DisplayFormat.ClipTime(LastMs)})");
}

/// <param name="Partial">The analysed part of the clip, when it is not all of it; null when the job analysed the whole clip.</param>
public sealed record JobResultsView(ResultSummary Summary, IReadOnlyList<TimelinePoint> Timeline, AnalysedRange? Partial = null)
{
    public int ClassCount => Summary.Classes.Count;

    public bool HasAnnotatedVideo => !string.IsNullOrEmpty(Summary.AnnotatedVideo);
}
