using System.Text.Json.Serialization;
using VideoTracker.Core.Counting;

namespace VideoTracker.Core.Results;

/// <summary>The summary of a completed job, as stored in <c>summary.json</c>.</summary>
/// <param name="TotalDetections">Every box in the results, interpolated ones included (as <paramref name="Classes"/> counts them).</param>
/// <param name="InterpolatedDetections">How many of those boxes the tracker interpolated rather than detected (0 in summaries from before it was counted).</param>
public sealed record ResultSummary(
    int TotalFrames,
    int ProcessedFrames,
    long TotalDetections,
    long InterpolatedDetections,
    IReadOnlyDictionary<string, int> Classes,
    int? UniqueTracks,
    int? HeaderFrameCount,
    bool DecodingEndedEarly,
    string? AnnotatedVideo,
    SummaryExtra? Extra = null,
    IReadOnlyDictionary<string, ZoneCounts>? Counts = null)
{
    /// <summary>
    /// The clip's length in frames, as far as the job knows it. <see cref="TotalFrames"/> alone is not: a job stopped
    /// by <c>max_frames</c> decoded only the start of the clip. So the header's count, or the frames decoded when more
    /// were; the frames decoded when decoding stopped short of the header (a truncated clip) or the header claimed nothing.
    /// </summary>
    public int ClipFrames() =>
        DecodingEndedEarly || HeaderFrameCount is not { } header ? TotalFrames : Math.Max(header, TotalFrames);
}

/// <summary>
/// The summary's <c>extra</c> member, present only when there is something to say: <c>annotated_video_error</c> (why the
/// annotated video asked for is missing) or <c>annotated_video_counts</c> (a counting job's counts as its annotated video
/// shows them at the end, the same as <c>counts</c>). Typed, so a writer and its readers cannot disagree on a key.
/// </summary>
public sealed record SummaryExtra(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AnnotatedVideoError,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, ZoneCounts>? AnnotatedVideoCounts = null)
{
    public static SummaryExtra? Of(ToolRunSummary run) =>
        run.AnnotatedVideoError is null && run.AnnotatedVideoCounts is null ? null : new SummaryExtra(run.AnnotatedVideoError, run.AnnotatedVideoCounts);
}

public static class ResultJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>
    /// Writes <paramref name="value"/> to a part file beside <paramref name="path"/> (its own name, so two writers
    /// never share one) and moves it into place, so a reader never finds half a file; a write that stops short
    /// (cancelled, disk full) deletes its part file.
    /// </summary>
    public static async Task WriteFileAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        var part = $"{path}.{Guid.NewGuid():N}.part";
        try
        {
            await using (var file = File.Create(part))
            {
                await JsonSerializer.SerializeAsync(file, value, Options, cancellationToken).ConfigureAwait(false);
            }

            File.Move(part, path, overwrite: true);
        }
        catch
        {
            File.Delete(part);
            throw;
        }
    }
}
