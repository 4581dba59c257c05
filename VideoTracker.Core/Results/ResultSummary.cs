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
/// The summary's <c>extra</c> member (<c>{"annotated_video_error": "…"}</c>), present only when there is something to say.
/// Typed, so a writer and its readers cannot disagree on a key.
/// </summary>
public sealed record SummaryExtra(string? AnnotatedVideoError)
{
    public static SummaryExtra? Of(ToolRunSummary run) =>
        run.AnnotatedVideoError is { } error ? new SummaryExtra(error) : null;
}

public static class ResultJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
