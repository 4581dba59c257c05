using Microsoft.AspNetCore.Components.Authorization;
using VideoTracker.App.Accounts;
using VideoTracker.Core.Evaluation;
using VideoTracker.Core.Tracking;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.App.Components.Services;

/// <summary>
/// The scoped job service of a circuit: a thin layer over Core's job views, store and results, seen as the
/// signed-in user sees them (the same visibility and ownership rules as the API, and the same audit trail).
/// What the page shows follows the circuit's user; what changes data acts as the user is in the database at
/// that moment (see <see cref="ActingUserAsync"/>).
/// </summary>
public sealed class JobService(
    AuthenticationStateProvider authentication,
    SessionValidator sessions,
    JobAccess access,
    AuditLog audit,
    IHttpContextAccessor http,
    JobViews views,
    JobFiles files,
    JobControl control,
    JobSubmitter submitter,
    JobRerunner rerunner,
    PluginRegistry registry,
    DeviceCatalog devices,
    PreviewVideos previews,
    WebhookOutbox webhooks) : IJobService
{
    /// <summary>The chart shows at most this many points, however long the clip.</summary>
    public const int MaxTimelinePoints = 120;

    public long MaxUploadBytes => submitter.MaxUploadBytes;

    public IReadOnlyList<IVideoPlugin> Plugins { get; } = [.. registry.Plugins.OrderBy(p => p.Title, StringComparer.OrdinalIgnoreCase)];

    public IReadOnlyList<string> Devices => devices.Devices;

    public async Task<JobView?> GetJobAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        await FindVisibleAsync(await UserAsync().ConfigureAwait(false), jobId, cancellationToken).ConfigureAwait(false);

    public async Task<JobViewSlice> ListJobsAsync(JobListFilter filter, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        var visible = filter with { Owner = access.ListFilter(await UserAsync().ConfigureAwait(false)) };
        return await views.ListAsync(visible, pageSize, page * pageSize, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> CanSubmitAsync() => CanSubmit(await UserAsync().ConfigureAwait(false));

    public async Task<bool> CanChangeAsync(VideoJob job) => access.CanChange(await UserAsync().ConfigureAwait(false), job);

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
        // A job that stopped short of the clip's end (max_frames) says how far it got: the player marks the rest as not analysed.
        var partial = summary.TotalFrames < summary.ClipFrames()
            && await ResultsReader.LastFrameTimestampAsync(directory, cancellationToken).ConfigureAwait(false) is { } lastMs
            ? new AnalysedRange(summary.TotalFrames, summary.ClipFrames(), lastMs)
            : null;
        return new JobResultsView(summary, timeline, partial);
    }

    public PreviewState GetPreviewState(Guid jobId) => previews.StateOf(jobId);

    public async Task<PreviewState> StartPreviewAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        return previews.StateOf(jobId) is PreviewState.NotStarted && await GetJobAsync(jobId, cancellationToken).ConfigureAwait(false) is { } view
            ? previews.StartForPage(view.Job)
            : previews.StateOf(jobId);
    }

    public async Task<IReadOnlyList<TrackRow>?> GetTracksAsync(VideoJob job, CancellationToken cancellationToken = default) =>
        job.Status == JobStatus.Completed && files.ExistingResults(job) is { } directory
            ? await TrackTableBuilder.ReadOrBuildAsync(directory, cancellationToken).ConfigureAwait(false)
            : null;

    public CountingSettings? GetCounting(VideoJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (registry.FindTool(job.PluginId, job.Tool) is not { } tool || !CountingInputs.IsCountingTool(tool.Manifest.Inputs))
        {
            return null;
        }

        // The zones were checked against the clip's frame at submit; here they are only read back.
        var options = ToolOptions.FromJson(job.OptionsJson, tool.Manifest.Inputs);
        return CountingInputs.Read(options, int.MaxValue, int.MaxValue).Match<CountingSettings?>(settings => settings, _ => null);
    }

    public async Task<EventLog?> GetEventsAsync(VideoJob job, CancellationToken cancellationToken = default) =>
        job.Status == JobStatus.Completed && files.ExistingResults(job) is { } directory
            ? await EventLogFile.ReadAsync(directory, cancellationToken).ConfigureAwait(false)
            : null;

    public async Task<IReadOnlyList<WebhookDeliveryView>> GetWebhookDeliveriesAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        await webhooks.ForJobAsync(jobId, (await UserAsync().ConfigureAwait(false)).IsAdmin(), cancellationToken).ConfigureAwait(false);

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
        ChangeAsync(jobId, control.CancelAsync, AuditActions.JobCancelled, cancellationToken);

    public Task<JobControlOutcome> DeleteAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        ChangeAsync(jobId, control.DeleteAsync, AuditActions.JobDeleted, cancellationToken);

    /// <summary>Cancel or delete as the API does: unseen jobs do not exist, others' jobs are refused, done ones are audited.</summary>
    private async Task<JobControlOutcome> ChangeAsync(
        Guid jobId, Func<Guid, CancellationToken, Task<JobControlOutcome>> action, string auditAction, CancellationToken cancellationToken)
    {
        var user = await ActingUserAsync().ConfigureAwait(false);
        if (await FindVisibleAsync(user, jobId, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            return new JobControlOutcome.NotFound();
        }

        if (!access.CanChange(user, job.Job))
        {
            throw new UnauthorizedAccessException("Only the job's owner or an admin may change it.");
        }

        var outcome = await action(jobId, cancellationToken).ConfigureAwait(false);
        if (outcome.IsDone)
        {
            await audit.RecordAsync(auditAction, user.UserName(), http.HttpContext?.ClientAddress(), jobId, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }

        return outcome;
    }

    public async Task<SubmitResult> RerunAsync(Guid jobId, RerunCommand command, CancellationToken cancellationToken = default)
    {
        var user = await ActingUserAsync().ConfigureAwait(false);
        if (!CanSubmit(user))
        {
            throw new UnauthorizedAccessException("Only members and admins may run jobs.");
        }

        var view = await FindVisibleAsync(user, jobId, cancellationToken).ConfigureAwait(false);
        if (view is null)
        {
            return new SubmitResult.Refused(SubmitError.ClipGone, "The job is no longer on the server.");
        }

        var result = await rerunner.RerunAsync(view.Job, command with { Owner = user.UserName() }, cancellationToken).ConfigureAwait(false);
        if (result is SubmitResult.Accepted { Job: var job })
        {
            await audit.RecordAsync(AuditActions.JobSubmitted, job.Owner, http.HttpContext?.ClientAddress(), job.JobId, JobRerunner.AuditDetail(job, jobId), CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    private static bool CanSubmit(ClaimsPrincipal user) => user.IsInRole(AppRoles.Member) || user.IsAdmin();

    private async Task<JobView?> FindVisibleAsync(ClaimsPrincipal user, Guid jobId, CancellationToken cancellationToken) =>
        await views.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is { } view && access.CanSee(user, view.Job) ? view : null;

    /// <summary>The circuit's user, as read when the page connected: enough to choose what the page shows.</summary>
    private async Task<ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync().ConfigureAwait(false)).User;

    /// <summary>The user as the database has them now, for every action that changes data (see <see cref="SessionValidator.ActingUserAsync"/>).</summary>
    private Task<ClaimsPrincipal> ActingUserAsync() => sessions.ActingUserAsync(authentication);

    public SubmitResult.Refused? ValidateSubmission(string? pluginId, string? tool, string? device, IReadOnlyDictionary<string, string?> options)
    {
        return submitter.Resolve(pluginId, tool, device, options).Match<SubmitResult.Refused?>(_ => null, SubmitResult.Refused.FromOptions);
    }
}
