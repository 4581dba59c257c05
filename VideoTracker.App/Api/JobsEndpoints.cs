using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using VideoTracker.App.Accounts;
using VideoTracker.Core.Accounts;
using VideoTracker.Core.Export;
using VideoTracker.Core.Jobs;

namespace VideoTracker.App.Api;

public static class JobsEndpoints
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1/jobs").WithTags("Jobs");
        v1.MapGet("/", ListJobs).WithName("ListJobs").WithSummary("Jobs, newest first");
        v1.MapGet("/{jobId}", GetJob).WithName("GetJob").WithSummary("A job's status, tool, options and file; once completed, its results summary and links");
        v1.MapPost("/{jobId}/cancel", CancelJob).WithName("CancelJob").WithSummary("Cancel a pending or running job; 409 when it already ended")
            .RequireAuthorization(AuthNames.MemberPolicy).WithMetadata(new ChangesJobAttribute());
        v1.MapDelete("/{jobId}", DeleteJob).WithName("DeleteJob").WithSummary("Delete an ended job and all its files; 409 while it is active")
            .RequireAuthorization(AuthNames.MemberPolicy).WithMetadata(new ChangesJobAttribute());
        return app;
    }

    internal static async Task<Results<Ok<JobListDto>, ProblemHttpResult>> ListJobs(
        JobViews views, JobFiles files, ResultExporters exporters, JobAccess access, ClaimsPrincipal user, CancellationToken cancellationToken, string? status = null, int? limit = null, int? offset = null, int? skip = null)
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

        if (limit is < 1 or > MaxPageSize)
        {
            return ApiErrors.BadRequest($"limit must be between 1 and {MaxPageSize}.");
        }

        // skip is ForgeSyte's name for offset.
        if (offset is { } o && skip is { } k && o != k)
        {
            return ApiErrors.BadRequest("offset and skip are the same setting; give one of them, or the same value to both.");
        }

        if ((offset ?? skip) is < 0)
        {
            return ApiErrors.BadRequest($"{(offset is null ? "skip" : "offset")} must be 0 or more.");
        }

        var (jobs, count) = await views.ListAsync(filter, limit ?? 50, offset ?? skip ?? 0, cancellationToken, access.ListFilter(user)).ConfigureAwait(false);
        var items = new List<JobDetailDto>(jobs.Count);
        foreach (var view in jobs)
        {
            items.Add(JobDetailDto.From(view, await JobResultsDto.ForAsync(view.Job, files, exporters, cancellationToken).ConfigureAwait(false)));
        }

        return TypedResults.Ok(new JobListDto(items, count));
    }

    internal static async Task<Results<Ok<JobDetailDto>, ProblemHttpResult>> GetJob(
        string jobId, JobViews views, JobFiles files, ResultExporters exporters, CancellationToken cancellationToken)
    {
        if (!ApiErrors.TryParseJobId(jobId, out var id, out var invalid))
        {
            return invalid!;
        }

        var view = await views.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return view is null
            ? ApiErrors.JobNotFound()
            : TypedResults.Ok(JobDetailDto.From(view, await JobResultsDto.ForAsync(view.Job, files, exporters, cancellationToken).ConfigureAwait(false)));
    }

    internal static async Task<Results<Ok<JobStatusDto>, ProblemHttpResult>> CancelJob(
        string jobId, JobControl control, JobViews views, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        if (!ApiErrors.TryParseJobId(jobId, out var id, out var invalid))
        {
            return invalid!;
        }

        var outcome = await control.CancelAsync(id, cancellationToken).ConfigureAwait(false);
        switch (outcome.Result)
        {
            case JobControlResult.NotFound:
                return ApiErrors.JobNotFound();
            case JobControlResult.Conflict:
                return ApiErrors.Conflict($"The job already ended as {outcome.Status!.Value.ToWire()}; there is nothing to cancel.", outcome.Status.Value);
            default:
                await audit.RecordAsync(AuditActions.JobCancelled, context.User.UserName(), context.ClientAddress(), id, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                var view = await views.GetAsync(id, cancellationToken).ConfigureAwait(false);
                return view is null ? ApiErrors.JobNotFound() : TypedResults.Ok(JobStatusDto.From(view));
        }
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteJob(
        string jobId, JobControl control, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        if (!ApiErrors.TryParseJobId(jobId, out var id, out var invalid))
        {
            return invalid!;
        }

        var outcome = await control.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        if (outcome.Result == JobControlResult.Done)
        {
            await audit.RecordAsync(AuditActions.JobDeleted, context.User.UserName(), context.ClientAddress(), id, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }

        return outcome.Result switch
        {
            JobControlResult.NotFound => ApiErrors.JobNotFound(),
            JobControlResult.Conflict => ApiErrors.Conflict($"The job is {outcome.Status!.Value.ToWire()}: cancel it or wait until it ends before deleting it.", outcome.Status.Value),
            _ => TypedResults.NoContent(),
        };
    }
}
