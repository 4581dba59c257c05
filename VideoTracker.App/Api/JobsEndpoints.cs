using Microsoft.AspNetCore.Http.HttpResults;
using VideoTracker.Core.Jobs;

namespace VideoTracker.App.Api;

public static class JobsEndpoints
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1/jobs").WithTags("Jobs");
        v1.MapGet("/", ListJobs).WithName("ListJobs").WithSummary("Jobs, newest first");
        v1.MapGet("/{jobId}", GetJob).WithName("GetJob").WithSummary("A job's status, tool, options and file");
        return app;
    }

    internal static async Task<Results<Ok<JobListDto>, ProblemHttpResult>> ListJobs(
        JobViews views, CancellationToken cancellationToken, string? status = null, int? limit = null, int? offset = null)
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

        if (offset is < 0)
        {
            return ApiErrors.BadRequest("offset must be 0 or more.");
        }

        var (jobs, count) = await views.ListAsync(filter, limit ?? 50, offset ?? 0, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new JobListDto([.. jobs.Select(JobDetailDto.From)], count));
    }

    internal static async Task<Results<Ok<JobDetailDto>, ProblemHttpResult>> GetJob(
        string jobId, JobViews views, CancellationToken cancellationToken)
    {
        if (!ApiErrors.TryParseJobId(jobId, out var id, out var invalid))
        {
            return invalid!;
        }

        var view = await views.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return view is null ? ApiErrors.JobNotFound() : TypedResults.Ok(JobDetailDto.From(view));
    }
}
