using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using VideoTracker.Core.Evaluation;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Results;
using VideoTracker.Core.Tracking;

namespace VideoTracker.App.Api;

/// <summary>What a tracking job offers beyond its detections: evaluation against ground truth, the track table and thumbnails.</summary>
public static class TrackingEndpoints
{
    public const string NoTracksDetail = "This job has no track ids: only tracking jobs (such as yolo-tracker's video_player_tracking) can be evaluated or have a track table.";

    public static IEndpointRouteBuilder MapTrackingApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1/jobs").WithTags("Tracking");
        v1.MapPost("/{jobId}/evaluate", Evaluate).WithName("EvaluateJob").DisableAntiforgery()
            .WithSummary("CLEAR-MOT and IDF1 of a tracking job against MOTChallenge ground truth (multipart: file, iou, class_name, min_frame, max_frame)");
        v1.MapGet("/{jobId}/tracks", Tracks).WithName("GetJobTracks").WithSummary("One row per track: first and last frame, frames, mean confidence, path length");
        v1.MapGet("/{jobId}/tracks/{trackId:int}/thumbnail", Thumbnail).WithName("GetTrackThumbnail").WithSummary("A JPEG crop of the track at its most confident box");
        return app;
    }

    public sealed record TracksDto(Guid JobId, IReadOnlyList<TrackRow> Tracks);

    internal static async Task<Results<Ok<MotMetrics>, ProblemHttpResult>> Evaluate(
        string jobId, HttpRequest request, JobStore store, JobFiles files, CancellationToken cancellationToken)
    {
        var (job, directory, error) = await JobFilesEndpoints.CompletedResultsAsync(jobId, store, files, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var summary = await ResultsReader.ReadSummaryAsync(directory!, cancellationToken).ConfigureAwait(false);
        if (summary.UniqueTracks is null)
        {
            return ApiErrors.Conflict(NoTracksDetail, job!.Status);
        }

        if (!request.HasFormContentType)
        {
            return ApiErrors.BadRequest("Send multipart/form-data with the ground truth (MOTChallenge text) in a field named 'file'.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return ApiErrors.BadRequest($"The form could not be read: {ex.Message}");
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return ApiErrors.BadRequest("The ground truth is missing: send it as a file in a field named 'file'.");
        }

        if (!TryReadSettings(form, out var settings, out var invalid))
        {
            return ApiErrors.BadRequest(invalid!);
        }

        MotParseResult parsed;
        await using (var stream = file.OpenReadStream())
        {
            using var reader = new StreamReader(stream);
            parsed = MotText.Parse(reader, summary.TotalFrames);
        }

        if (parsed is MotParseResult.Invalid bad)
        {
            return ApiErrors.BadRequest($"Invalid ground truth: {bad.Detail}");
        }

        var groundTruth = ((MotParseResult.Parsed)parsed).Boxes;
        var hypotheses = await TrackHypotheses.ReadAsync(directory!, settings.ClassName, cancellationToken).ConfigureAwait(false);
        var frames = hypotheses.AnalysedFrames.Where(f => f >= settings.MinFrame && f <= settings.MaxFrame).ToHashSet();
        return TypedResults.Ok(MotEvaluator.Evaluate(groundTruth, hypotheses.Boxes, settings.Iou, frames));
    }

    internal static async Task<Results<Ok<TracksDto>, ProblemHttpResult>> Tracks(
        string jobId, JobStore store, JobFiles files, CancellationToken cancellationToken)
    {
        var (job, directory, error) = await JobFilesEndpoints.CompletedResultsAsync(jobId, store, files, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var path = ResultFiles.TracksPath(directory!);
        if (!File.Exists(path))
        {
            return ApiErrors.Conflict(NoTracksDetail, job!.Status);
        }

        await using var table = File.OpenRead(path);
        var rows = await JsonSerializer.DeserializeAsync<List<TrackRow>>(table, ResultJson.Options, cancellationToken).ConfigureAwait(false) ?? [];
        return TypedResults.Ok(new TracksDto(job!.JobId, rows));
    }

    internal static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> Thumbnail(
        string jobId, int trackId, JobStore store, JobFiles files, CancellationToken cancellationToken)
    {
        var (_, directory, error) = await JobFilesEndpoints.CompletedResultsAsync(jobId, store, files, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var path = ResultFiles.ThumbnailPath(directory!, trackId);
        return File.Exists(path)
            ? TypedResults.PhysicalFile(path, "image/jpeg")
            : ApiErrors.NotFound($"This job has no thumbnail for track {trackId}.");
    }

    private sealed record EvaluationSettings(double Iou, string ClassName, int MinFrame, int MaxFrame);

    private static bool TryReadSettings(IFormCollection form, out EvaluationSettings settings, out string? error)
    {
        settings = new EvaluationSettings(0.5, "person", 1, int.MaxValue);
        error = null;
        if (form.TryGetValue("iou", out var iouText) && !string.IsNullOrWhiteSpace(iouText))
        {
            if (!double.TryParse(iouText, NumberStyles.Float, CultureInfo.InvariantCulture, out var iou) || iou <= 0 || iou > 1)
            {
                error = $"'iou' must be a number above 0 and at most 1; got '{iouText}'.";
                return false;
            }

            settings = settings with { Iou = iou };
        }

        if (form.TryGetValue("class_name", out var className) && !string.IsNullOrWhiteSpace(className))
        {
            settings = settings with { ClassName = className.ToString().Trim() };
        }

        foreach (var (name, isMin) in new[] { ("min_frame", true), ("max_frame", false) })
        {
            if (form.TryGetValue(name, out var text) && !string.IsNullOrWhiteSpace(text))
            {
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var frame) || frame < 1)
                {
                    error = $"'{name}' must be a whole number from 1 (MOTChallenge frames are 1-based); got '{text}'.";
                    return false;
                }

                settings = isMin ? settings with { MinFrame = frame } : settings with { MaxFrame = frame };
            }
        }

        if (settings.MinFrame > settings.MaxFrame)
        {
            error = $"'min_frame' ({settings.MinFrame}) is after 'max_frame' ({settings.MaxFrame}).";
            return false;
        }

        return true;
    }
}
