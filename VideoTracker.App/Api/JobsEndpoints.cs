using System.ComponentModel.DataAnnotations;
using VideoTracker.App.Accounts;
using VideoTracker.Core.Export;

namespace VideoTracker.App.Api;

public static class JobsEndpoints
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/v1/jobs");
        jobs.MapGet("/", ListJobs).WithTags("Jobs").WithName("ListJobs").WithSummary("Jobs, newest first")
            .ProducesErrors(StatusCodes.Status400BadRequest);

        // Everything under /v1/jobs/{jobId}: the id is parsed once (JobRouteId), and a malformed one answered by JobIdFilter.
        // Each file's routes get their OpenAPI tag here, on a group of their own, in this order.
        var job = jobs.MapGroup("/{jobId}");
        RouteGroupBuilder Tagged(string tag) => job.MapGroup(string.Empty).WithTags(tag);
        var v1 = Tagged("Jobs");
        v1.MapGet(string.Empty, GetJob).WithName("GetJob").WithSummary("A job's status, tool, options and file; once completed, its results summary and links");
        v1.MapPost("/cancel", CancelJob).WithName("CancelJob").WithSummary("Cancel a pending or running job; 409 when it already ended").ProducesErrors(StatusCodes.Status409Conflict)
            .RequireAuthorization(AuthNames.MemberPolicy).WithMetadata(new ChangesJobAttribute());
        v1.MapDelete(string.Empty, DeleteJob).WithName("DeleteJob").WithSummary("Delete an ended job and all its files; 409 while it is active").ProducesErrors(StatusCodes.Status409Conflict)
            .RequireAuthorization(AuthNames.MemberPolicy).WithMetadata(new ChangesJobAttribute());
        v1.MapPost("/rerun", RerunJob).WithName("RerunJob").WithSummary("Run the job again on its own clip, with other options or another tool (the clip is not uploaded again); 202 with the new job")
            .ProducesErrors(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable, StatusCodes.Status507InsufficientStorage)
            .RequireAuthorization(AuthNames.MemberPolicy);
        Tagged("Jobs").MapJobFilesApi();          // /export, /video, /annotated, /preview, /series
        Tagged("Tracking").MapTrackingApi();      // /evaluate, /tracks, /tracks/{trackId}/thumbnail
        Tagged("Jobs").MapCountingApi();          // /events, /heatmap
        Tagged("Jobs").MapWebhooksApi();          // /webhooks
        return app;
    }

    internal static async Task<Results<Ok<JobListDto>, ProblemHttpResult>> ListJobs(
        JobViews views, JobFiles files, ResultExporters exporters, JobAccess access, ClaimsPrincipal user, HttpRequest request, CancellationToken cancellationToken,
        string? status = null, [Range(1, MaxPageSize)] int? limit = null, [Range(0, int.MaxValue)] int? offset = null,
        [Range(0, int.MaxValue)] int? skip = null, string? q = null)
    {
        JobStatus? filter = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!JobStatusExtensions.TryParseWire(status, out var parsed))
            {
                return ApiErrors.BadRequest($"Unknown status '{status}'. Use pending, running, completed, failed or cancelled.");
            }

            filter = parsed;
        }

        if (q is { Length: > JobListFilter.MaxSearchLength })
        {
            return ApiErrors.BadRequest($"q must be at most {JobListFilter.MaxSearchLength} characters.");
        }

        // skip is ForgeSyte's name for offset.
        if (offset is { } o && skip is { } k && o != k)
        {
            return ApiErrors.BadRequest("offset and skip are the same setting; give one of them, or the same value to both.");
        }

        var page = await views.ListAsync(new JobListFilter(filter, q, access.ListFilter(user)), limit ?? 50, offset ?? skip ?? 0, cancellationToken).ConfigureAwait(false);
        var items = new List<JobDetailDto>(page.Jobs.Count);
        foreach (var view in page.Jobs)
        {
            items.Add(JobDetailDto.From(view, await JobResultsDto.ForAsync(request, view.Job, files, exporters, cancellationToken).ConfigureAwait(false)));
        }

        return TypedResults.Ok(new JobListDto(items, page.Count));
    }

    internal static async Task<Results<Ok<JobDetailDto>, ProblemHttpResult>> GetJob(
        JobRouteId jobId, JobViews views, JobFiles files, ResultExporters exporters, HttpRequest request, CancellationToken cancellationToken)
    {
        var view = await views.GetAsync(jobId.Value, cancellationToken).ConfigureAwait(false);
        return view is null
            ? ApiErrors.JobNotFound()
            : TypedResults.Ok(JobDetailDto.From(view, await JobResultsDto.ForAsync(request, view.Job, files, exporters, cancellationToken).ConfigureAwait(false)));
    }

    internal static async Task<Results<Ok<JobStatusDto>, ProblemHttpResult>> CancelJob(
        JobRouteId jobId, JobControl control, JobViews views, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await control.CancelAsync(jobId.Value, cancellationToken).ConfigureAwait(false);
        if (Refusal(outcome, ended => $"The job already ended as {ended.ToWire()}; there is nothing to cancel.") is { } problem)
        {
            return problem;
        }

        await audit.RecordAsync(AuditActions.JobCancelled, context.User.UserName(), context.ClientAddress(), jobId.Value, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        var view = await views.GetAsync(jobId.Value, cancellationToken).ConfigureAwait(false);
        return view is null ? ApiErrors.JobNotFound() : TypedResults.Ok(JobStatusDto.From(view));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteJob(
        JobRouteId jobId, JobControl control, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        var outcome = await control.DeleteAsync(jobId.Value, cancellationToken).ConfigureAwait(false);
        if (Refusal(outcome, active => $"The job is {active.ToWire()}: cancel it or wait until it ends before deleting it.") is { } problem)
        {
            return problem;
        }

        await audit.RecordAsync(AuditActions.JobDeleted, context.User.UserName(), context.ClientAddress(), jobId.Value, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Accepted<SubmitAcceptedDto>, ProblemHttpResult>> RerunJob(
        JobRouteId jobId, RerunJobRequest? request, JobStore store, JobRerunner rerunner, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        if ((await JobLookups.FindAsync(jobId, store, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var source))
        {
            return problem;
        }

        var options = (request?.Options ?? []).ToDictionary(o => o.Key, o => ToolOptions.RawText(o.Value), StringComparer.Ordinal);
        var command = new RerunCommand(request?.PluginId, request?.Tool, request?.Device, options) { Owner = context.User.UserName() };
        var result = await rerunner.RerunAsync(source, command, cancellationToken).ConfigureAwait(false);
        if (result is SubmitResult.Accepted { Job: var job })
        {
            await audit.RecordAsync(AuditActions.JobSubmitted, job.Owner, context.ClientAddress(), job.JobId, JobRerunner.AuditDetail(job, source.JobId), CancellationToken.None).ConfigureAwait(false);
        }

        return result.Match<Results<Accepted<SubmitAcceptedDto>, ProblemHttpResult>>(
            accepted => VideoEndpoints.Accepted(context.Request, accepted.Job),
            refused => VideoEndpoints.Refused(context, refused, withKind: false));
    }

    /// <summary>The 404 or 409 for a cancel or delete that was refused; null when it was carried out.</summary>
    private static ProblemHttpResult? Refusal(JobControlOutcome outcome, Func<JobStatus, string> conflictDetail) =>
        outcome.Match<ProblemHttpResult?>(
            done: () => null,
            notFound: ApiErrors.JobNotFound,
            conflict: status => ApiErrors.Conflict(conflictDetail(status), status));
}
