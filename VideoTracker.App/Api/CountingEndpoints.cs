namespace VideoTracker.App.Api;

/// <summary>The counting results of a tracking job: its event log and its heatmap.</summary>
public static class CountingEndpoints
{
    private const string CsvContentType = "text/csv; charset=utf-8";

    /// <summary>Maps on the <c>/v1/jobs/{jobId}</c> group of <see cref="JobsEndpoints"/>, on a group of its own tagged <c>Jobs</c>.</summary>
    internal static void MapCountingApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/events", Events).WithName("GetJobEvents").WithSummary("Zone events (in, out, enter, exit) and counts per zone and class; ?format=csv for CSV")
            .ProducesFile(CsvContentType).ProducesErrors(StatusCodes.Status409Conflict);
        v1.MapGet("/heatmap", Heatmap).WithName("GetJobHeatmap").WithSummary("Where tracked objects were, as a PNG at the clip's size over a frame of it")
            .ProducesFile("image/png").ProducesErrors(StatusCodes.Status409Conflict);
    }

    internal static async Task<Results<Ok<EventLog>, PushStreamHttpResult, ProblemHttpResult>> Events(
        JobRouteId jobId, JobStore store, JobFiles files, HttpContext context, CancellationToken cancellationToken, string? format = null)
    {
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && format is not null && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            return ApiErrors.BadRequest($"Unknown events format '{format}'. Use json or csv.");
        }

        if ((await JobLookups.CompletedAsync(jobId, store, files, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var completed))
        {
            return problem;
        }

        var (job, directory) = completed;

        var log = await EventLogFile.ReadAsync(directory, cancellationToken).ConfigureAwait(false);
        if (log is null)
        {
            return ApiErrors.NotFound("This job has no event log: counting runs with tools that output track ids.");
        }

        if (!csv)
        {
            return TypedResults.Ok(log);
        }

        JobFilesEndpoints.SetAttachment(context, $"events-{job.JobId:N}.csv");
        return TypedResults.Stream(body => EventLogFile.WriteCsvAsync(body, log, cancellationToken), CsvContentType);
    }

    internal static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> Heatmap(
        JobRouteId jobId, JobStore store, JobFiles files, CancellationToken cancellationToken)
    {
        if ((await JobLookups.CompletedAsync(jobId, store, files, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var completed))
        {
            return problem;
        }

        var directory = completed.Directory;

        var path = EventLogFile.HeatmapPath(directory);
        return File.Exists(path)
            ? TypedResults.PhysicalFile(path, "image/png")
            : ApiErrors.NotFound("This job has no heatmap: heatmaps are made by tools that output track ids.");
    }
}
