using Microsoft.AspNetCore.Http.HttpResults;
using VideoTracker.Core.Counting;
using VideoTracker.Core.Jobs;

namespace VideoTracker.App.Api;

/// <summary>The counting results of a tracking job: its event log and its heatmap.</summary>
public static class CountingEndpoints
{
    public static IEndpointRouteBuilder MapCountingApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1/jobs").WithTags("Jobs");
        v1.MapGet("/{jobId}/events", Events).WithName("GetJobEvents").WithSummary("Zone events (in, out, enter, exit) and counts per zone and class; ?format=csv for CSV");
        v1.MapGet("/{jobId}/heatmap", Heatmap).WithName("GetJobHeatmap").WithSummary("Where tracked objects were, as a PNG at the clip's size over a frame of it");
        return app;
    }

    internal static async Task<Results<Ok<EventLog>, PushStreamHttpResult, ProblemHttpResult>> Events(
        string jobId, JobStore store, JobFiles files, HttpContext context, CancellationToken cancellationToken, string? format = null)
    {
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && format is not null && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            return ApiErrors.BadRequest($"Unknown events format '{format}'. Use json or csv.");
        }

        var (job, directory, error) = await JobFilesEndpoints.CompletedResultsAsync(jobId, store, files, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var log = await EventLogFile.ReadAsync(directory!, cancellationToken).ConfigureAwait(false);
        if (log is null)
        {
            return ApiErrors.NotFound("This job has no event log: counting runs with tools that output track ids.");
        }

        if (!csv)
        {
            return TypedResults.Ok(log);
        }

        JobFilesEndpoints.SetAttachment(context, $"events-{job!.JobId:N}.csv");
        return TypedResults.Stream(body => EventLogFile.WriteCsvAsync(body, log, cancellationToken), "text/csv; charset=utf-8");
    }

    internal static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> Heatmap(
        string jobId, JobStore store, JobFiles files, CancellationToken cancellationToken)
    {
        var (_, directory, error) = await JobFilesEndpoints.CompletedResultsAsync(jobId, store, files, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var path = EventLogFile.HeatmapPath(directory!);
        return File.Exists(path)
            ? TypedResults.PhysicalFile(path, "image/png")
            : ApiErrors.NotFound("This job has no heatmap: heatmaps are made by tools that output track ids.");
    }
}
