using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using VideoTracker.Core.Evaluation;
using VideoTracker.Core.Storage;
using VideoTracker.Core.Tracking;

namespace VideoTracker.App.Api;

/// <summary>What a tracking job offers beyond its detections: evaluation against ground truth, the track table and thumbnails.</summary>
public static class TrackingEndpoints
{
    /// <summary>Maps on the <c>/v1/jobs/{jobId}</c> group of <see cref="JobsEndpoints"/>, on a group of its own tagged <c>Tracking</c>.</summary>
    internal static void MapTrackingApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/evaluate", Evaluate).WithName("EvaluateJob").DisableAntiforgery()
            .WithSummary("CLEAR-MOT and IDF1 of a tracking job against MOTChallenge ground truth (multipart: file, iou, class_name, min_frame, max_frame)")
            .AcceptsMultipart("The ground truth, MOTChallenge text: frame,id,left,top,width,height,conf,… (frames from 1).", EvaluationFieldDocs)
            .ProducesErrors(StatusCodes.Status409Conflict);
        v1.MapGet("/tracks", Tracks).WithName("GetJobTracks").WithSummary("One row per track, in track id order: first and last frame, frames, mean confidence, path length; every track, or a page with offset and limit")
            .ProducesErrors(StatusCodes.Status409Conflict);
        v1.MapGet("/tracks/{track_id}/thumbnail", Thumbnail).WithName("GetTrackThumbnail").WithSummary("A JPEG crop of the track at its most confident box")
            .ProducesFile("image/jpeg").ProducesErrors(StatusCodes.Status409Conflict);
    }

    /// <summary>The most tracks one page may ask for.</summary>
    public const int MaxTracksPage = 1000;

    /// <summary>The tracks asked for, and <paramref name="Count"/>: how many the job has in all.</summary>
    public sealed record TracksDto(Guid JobId, IReadOnlyList<TrackRow> Tracks, int Count);

    internal static async Task<Results<Ok<MotMetrics>, ProblemHttpResult>> Evaluate(
        JobRouteId jobId, HttpRequest request, JobStore store, JobFiles files, CancellationToken cancellationToken)
    {
        if ((await JobLookups.CompletedAsync(jobId, store, files, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var completed))
        {
            return problem;
        }

        var (job, directory) = completed;

        var summary = await ResultsReader.ReadSummaryAsync(directory, cancellationToken).ConfigureAwait(false);
        if (summary.UniqueTracks is null)
        {
            return ApiErrors.Conflict(JobEvaluation.NoTracksDetail, job.Status);
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
        catch (IOException ex) when (!DiskFull.Is(ex))   // a full disk stays a 507, from its own handler
        {
            return ApiErrors.BadRequest("The form could not be read: the multipart body is malformed or was cut off.");
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return ApiErrors.BadRequest("The ground truth is missing: send it as a file in a field named 'file'.");
        }

        // Nothing sent is silently ignored: a second file or a misspelt setting would change nothing the caller sees.
        if (form.Files.Count > 1)
        {
            return ApiErrors.BadRequest("Send one ground-truth file, in the field 'file'.");
        }

        if (form.Keys.FirstOrDefault(k => !EvaluationFields.Contains(k)) is { } unknown)
        {
            return ApiErrors.BadRequest($"Unknown field '{unknown}'. Use {string.Join(", ", EvaluationFields)}.");
        }

        if (!TryReadSettings(form, out var settings, out var invalid))
        {
            return ApiErrors.BadRequest(invalid);
        }

        EvaluationResult result;
        await using (var stream = file.OpenReadStream())
        {
            using var reader = new StreamReader(stream);
            result = await JobEvaluation.EvaluateAsync(directory, reader, settings, cancellationToken).ConfigureAwait(false);
        }

        return result switch
        {
            EvaluationResult.Scored scored => TypedResults.Ok(scored.Metrics),
            EvaluationResult.NoTracks none => ApiErrors.Conflict(none.Detail, job.Status),
            EvaluationResult.InvalidGroundTruth bad => ApiErrors.BadRequest(bad.Detail),
            _ => throw new InvalidOperationException("Unknown evaluation result."),
        };
    }

    internal static async Task<Results<Ok<TracksDto>, ProblemHttpResult>> Tracks(
        JobRouteId jobId, JobStore store, JobFiles files, CancellationToken cancellationToken,
        [Range(0, int.MaxValue)] int? offset = null, [Range(1, MaxTracksPage)] int? limit = null)
    {
        if ((await JobLookups.CompletedAsync(jobId, store, files, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var completed))
        {
            return problem;
        }

        var (job, directory) = completed;

        if (await TrackTableBuilder.ReadOrBuildAsync(directory, cancellationToken).ConfigureAwait(false) is not { } rows)
        {
            return ApiErrors.Conflict(JobEvaluation.NoTracksDetail, job.Status);
        }

        // No paging asked for: every track, as before paging existed.
        var page = offset is null && limit is null ? rows : rows.Skip(offset ?? 0).Take(limit ?? MaxTracksPage).ToList();
        return TypedResults.Ok(new TracksDto(job.JobId, page, rows.Count));
    }

    internal static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> Thumbnail(
        JobRouteId jobId, [Range(1, int.MaxValue)] int track_id, JobStore store, JobFiles files, CancellationToken cancellationToken)
    {
        if ((await JobLookups.CompletedAsync(jobId, store, files, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var completed))
        {
            return problem;
        }

        var directory = completed.Directory;

        var path = ResultFiles.ThumbnailPath(directory, track_id);
        return File.Exists(path)
            ? TypedResults.PhysicalFile(path, "image/jpeg")
            : ApiErrors.NotFound($"This job has no thumbnail for track {track_id}.");
    }

    private const string IouField = "iou";
    private const string ClassNameField = "class_name";
    private const string MinFrameField = "min_frame";
    private const string MaxFrameField = "max_frame";

    /// <summary>The settings an evaluation takes besides its file, as the OpenAPI document shows them.</summary>
    private static readonly Dictionary<string, (Microsoft.OpenApi.JsonSchemaType Type, string Description)> EvaluationFieldDocs = new(StringComparer.Ordinal)
    {
        [IouField] = (Microsoft.OpenApi.JsonSchemaType.Number, "IoU that makes a match, above 0 and at most 1 (default 0.5)."),
        [ClassNameField] = (Microsoft.OpenApi.JsonSchemaType.String, "Score only the job's boxes of this class."),
        [MinFrameField] = (Microsoft.OpenApi.JsonSchemaType.Integer, "First MOTChallenge frame to score (from 1)."),
        [MaxFrameField] = (Microsoft.OpenApi.JsonSchemaType.Integer, "Last MOTChallenge frame to score."),
    };

    /// <summary>The settings an evaluation takes besides its file.</summary>
    private static readonly string[] EvaluationFields = [.. EvaluationFieldDocs.Keys];

    private static bool TryReadSettings(IFormCollection form, out EvaluationSettings settings, [NotNullWhen(false)] out string? error)
    {
        settings = new EvaluationSettings();
        error = null;
        if (form.TryGetValue(IouField, out var iouText) && !string.IsNullOrWhiteSpace(iouText))
        {
            if (!double.TryParse(iouText, NumberStyles.Float, CultureInfo.InvariantCulture, out var iou) || !(iou > 0 && iou <= 1))   // NaN fails too
            {
                error = $"'iou' must be a number above 0 and at most 1; got '{iouText}'.";
                return false;
            }

            settings = settings with { Iou = iou };
        }

        if (form.TryGetValue(ClassNameField, out var className) && !string.IsNullOrWhiteSpace(className))
        {
            settings = settings with { ClassName = className.ToString().Trim() };
        }

        foreach (var (name, isMin) in new[] { (MinFrameField, true), (MaxFrameField, false) })
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
