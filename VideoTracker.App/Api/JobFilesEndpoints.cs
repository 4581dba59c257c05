using System.ComponentModel.DataAnnotations;
using VideoTracker.Core.Detection;
using VideoTracker.Core.Export;
using VideoTracker.Core.Storage;

namespace VideoTracker.App.Api;

/// <summary>Downloads of a job: exports of its detections and its original clip.</summary>
public static class JobFilesEndpoints
{
    /// <summary>Maps on the <c>/v1/jobs/{jobId}</c> group of <see cref="JobsEndpoints"/>, on a group of its own tagged <c>Jobs</c>.</summary>
    internal static void MapJobFilesApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/export", Export).WithName("ExportJob").WithSummary("Detections in one of the registered formats: json, csv, mot (MOTChallenge), coco, cvat (CVAT for video 1.1)")
            .ProducesFile(services => services.GetRequiredService<ResultExporters>().All.Select(e => e.ContentType)).ProducesErrors(StatusCodes.Status409Conflict);
        v1.MapGet("/export/all", ExportAll).WithName("ExportJobBundle").WithSummary("Every export format in one ZIP, with the results' summary, track table and event log when the job has them")
            .ProducesFile(ResultBundle.ContentType).ProducesErrors(StatusCodes.Status409Conflict);
        v1.MapGet("/video", OriginalVideo).WithName("GetJobVideo").WithSummary("The original uploaded clip").ProducesFile("video/*", "application/octet-stream");
        v1.MapGet("/annotated", AnnotatedVideoFile).WithName("GetJobAnnotatedVideo").WithSummary("The H.264 MP4 with boxes drawn on (jobs submitted with annotated=true)")
            .ProducesFile("video/mp4").ProducesErrors(StatusCodes.Status409Conflict);
        v1.MapGet("/preview", PreviewVideo).WithName("GetJobPreviewVideo").WithSummary("The original clip as browser-playable H.264 MP4, made once and cached; 503 with Retry-After and the percent done while it is being made")
            .ProducesFile("video/mp4").ProducesErrors(StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable, StatusCodes.Status507InsufficientStorage);
        v1.MapGet("/series", Series).WithName("GetJobSeries").WithSummary("Detections per analysed frame in N equal time buckets (min, mean, max; overall and per class), stored when the job finished")
            .ProducesErrors(StatusCodes.Status409Conflict);
    }

    internal static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> Export(
        JobRouteId jobId, JobStore store, JobFiles files, ResultExporters exporters, HttpContext context, CancellationToken cancellationToken, string? format = null)
    {
        if (exporters.Find(format) is not { } exporter)
        {
            return ApiErrors.BadRequest($"Unknown export format '{format}'. Use {string.Join(", ", exporters.Formats)}.");
        }

        return await DownloadAsync(jobId, store, files, context, exporter.FileName, exporter.ContentType, exporter.WriteAsync, cancellationToken).ConfigureAwait(false);
    }

    internal static Task<Results<PushStreamHttpResult, ProblemHttpResult>> ExportAll(
        JobRouteId jobId, JobStore store, JobFiles files, ResultBundle bundle, HttpContext context, CancellationToken cancellationToken) =>
        DownloadAsync(jobId, store, files, context, ResultBundle.FileName, ResultBundle.ContentType, bundle.WriteAsync, cancellationToken);

    /// <summary>A completed job's results, written by <paramref name="write"/> as a download; 404/409 when it has none.</summary>
    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        JobRouteId jobId, JobStore store, JobFiles files, HttpContext context, Func<Guid, string> fileName, string contentType,
        Func<JobResults, Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        if ((await JobLookups.CompletedAsync(jobId, store, files, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var completed))
        {
            return problem;
        }

        var (job, directory) = completed;
        var results = new JobResults(job, directory, files.InputPath(job));
        SetAttachment(context, fileName(job.JobId));
        return TypedResults.Stream(body => write(results, body, cancellationToken), contentType);
    }

    public const int MaxSeriesBuckets = 2000;

    internal static async Task<Results<Ok<SeriesDocument>, ProblemHttpResult>> Series(
        JobRouteId jobId, JobStore store, JobFiles files, CancellationToken cancellationToken, [Range(1, MaxSeriesBuckets)] int? buckets = null)
    {
        if ((await JobLookups.CompletedAsync(jobId, store, files, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var completed))
        {
            return problem;
        }

        var directory = completed.Directory;

        var series = await DetectionSeries.LoadOrBuildAsync(directory, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(series.ToDocument(buckets ?? 120));
    }

    internal static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> OriginalVideo(
        JobRouteId jobId, JobStore store, JobFiles files, CancellationToken cancellationToken)
    {
        if ((await JobLookups.FindAsync(jobId, store, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var job))
        {
            return problem;
        }

        var path = files.InputPath(job);
        if (!File.Exists(path))
        {
            return ApiErrors.ClipMissing();
        }

        return TypedResults.PhysicalFile(path, VideoContentType(path), job.OriginalFileName, enableRangeProcessing: true);
    }

    internal static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> AnnotatedVideoFile(
        JobRouteId jobId, JobStore store, JobFiles files, CancellationToken cancellationToken)
    {
        if ((await JobLookups.CompletedAsync(jobId, store, files, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var completed))
        {
            return problem;
        }

        var (job, directory) = completed;

        var summary = await ResultsReader.ReadSummaryAsync(directory, cancellationToken).ConfigureAwait(false);
        if (summary.AnnotatedVideo is not { } name || name != Path.GetFileName(name))
        {
            return ApiErrors.NotFound(summary.Extra?.AnnotatedVideoError ?? "This job has no annotated video: submit it with annotated=true.");
        }

        if (!File.Exists(Path.Combine(directory, name)))
        {
            // The job made one, and its file is gone (deleted, or a restore that lacks it).
            return ApiErrors.NotFound("The annotated video of this job is missing on the server.");
        }

        return TypedResults.PhysicalFile(Path.Combine(directory, name), "video/mp4", $"annotated-{job.JobId:N}.mp4", enableRangeProcessing: true);
    }

    internal static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> PreviewVideo(
        JobRouteId jobId, JobStore store, PreviewVideos previews, JobFiles files, UnreadableClips unreadable, HttpContext context,
        CancellationToken cancellationToken)
    {
        if ((await JobLookups.FindAsync(jobId, store, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var job))
        {
            return problem;
        }

        // Without its clip (a folder restored in part) there is nothing to encode: asking again would change nothing.
        if (!File.Exists(previews.PathFor(job.JobId)) && !File.Exists(files.InputPath(job)))
        {
            return ApiErrors.ClipMissing();
        }

        if (!File.Exists(previews.PathFor(job.JobId)) && !previews.IsAvailable)
        {
            return TypedResults.Problem($"No preview can be made: {previews.UnavailableReason}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        // HEAD starts no encode and waits for none: a preview being made answers as a GET that must wait for it does; one
        // that nobody makes is 503 without Retry-After, since asking again changes nothing until a GET starts it.
        if (HttpMethods.IsHead(context.Request.Method) && previews.StateOf(job.JobId) is not PreviewState.Ready and var state)
        {
            return state is PreviewState.Preparing preparing
                ? TryAgainLater(context, PreviewVideos.PreparingDetail(preparing.Percent))
                : TypedResults.Problem(PreviewVideos.NotMadeDetail, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        try
        {
            if (await previews.PrepareAsync(job, cancellationToken).ConfigureAwait(false) is PreviewState.Preparing preparing)
            {
                // The encode goes on; a long clip's would outlast the client's (or a proxy's) time limit.
                return TryAgainLater(context, PreviewVideos.PreparingDetail(preparing.Percent));
            }

            return TypedResults.PhysicalFile(previews.PathFor(job.JobId), "video/mp4", enableRangeProcessing: true);
        }
        catch (VideoToolException ex)
        {
            // A clip that cannot be read says why, as its submit or its job would.
            var detail = await unreadable.DetailAsync(files.InputPath(job), ex, cancellationToken).ConfigureAwait(false);
            return TypedResults.Problem(detail, statusCode: StatusCodes.Status500InternalServerError);
        }
        catch (PreviewStalledException ex)
        {
            // Another process holds the encode and keeps its lock while it lives: only a later request can get the preview.
            return TryAgainLater(context, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The encode this request waited for was stopped: its job was deleted meanwhile, or the app is stopping.
            return await store.FindAsync(job.JobId, CancellationToken.None).ConfigureAwait(false) is null
                ? ApiErrors.JobNotFound()
                : TryAgainLater(context, PreviewVideos.StoppedDetail);
        }
    }

    /// <summary>503 with Retry-After: the preview is not there yet, or its encode does not advance.</summary>
    private static ProblemHttpResult TryAgainLater(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = PreviewVideos.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    internal static void SetAttachment(HttpContext context, string fileName) =>
        context.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = fileName, DispositionType = "attachment" }.ToString();

    internal static string VideoContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".mp4" or ".m4v" => "video/mp4",
        ".webm" => "video/webm",
        ".mkv" => "video/x-matroska",
        ".mov" => "video/quicktime",
        ".avi" => "video/x-msvideo",
        _ => "application/octet-stream",
    };
}
