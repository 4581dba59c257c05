using VideoTracker.App.Components;
using VideoTracker.Core.Export;

namespace VideoTracker.App.Api;

/// <summary>
/// A completed job's <c>results</c> in <c>GET /v1/jobs/{id}</c>, shaped like ForgeSyte's worker output
/// (<c>{"plugin_id", "tool", "results": …}</c>). It holds the summary and links, never the frames, so a
/// poll stays small however long the clip; the frames are at <c>frames_url</c>.
/// </summary>
public sealed record JobResultsDto(string PluginId, string Tool, JobResultsBodyDto Results)
{
    /// <summary>The results of a completed job whose files are on disk, its links from the host; null otherwise.</summary>
    public static async Task<JobResultsDto?> ForAsync(HttpRequest request, VideoJob job, JobFiles files, ResultExporters exporters, CancellationToken cancellationToken)
    {
        if (job.Status != JobStatus.Completed || files.ExistingResults(job) is not { } directory)
        {
            return null;
        }

        JsonElement summary;
        try
        {
            await using var file = File.OpenRead(ResultFiles.SummaryPath(directory));
            using var document = await JsonDocument.ParseAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
            summary = document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // deleted between the check and the read
        }

        var annotated = summary.TryGetProperty("annotated_video", out var name) && name.ValueKind == JsonValueKind.String
            ? JobLinks.FromHost(request, JobLinks.Annotated(job.JobId))
            : null;
        return new JobResultsDto(job.PluginId, job.Tool, new JobResultsBodyDto(
            summary,
            JobLinks.FromHost(request, JobLinks.Results(job.JobId)),
            exporters.Formats.ToDictionary(f => f, f => JobLinks.FromHost(request, JobLinks.Export(job.JobId, f)), StringComparer.Ordinal),
            annotated));
    }
}

/// <param name="Summary">The stored summary: frame counts, detections per class, unique tracks.</param>
/// <param name="FramesUrl">Every analysed frame with its detections, paged with frame_offset and frame_limit.</param>
/// <param name="Exports">Download URL by format.</param>
/// <param name="AnnotatedVideoUrl">The annotated MP4, when the tool wrote one.</param>
public sealed record JobResultsBodyDto(JsonElement Summary, string FramesUrl, IReadOnlyDictionary<string, string> Exports, string? AnnotatedVideoUrl);
