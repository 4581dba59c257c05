using System.Text.Json;
using System.Text.Json.Serialization;
using VideoTracker.Core.Counting;

namespace VideoTracker.Core.Results;

/// <summary>The summary of a completed job, as stored in <c>summary.json</c>.</summary>
public sealed record ResultSummary(
    int TotalFrames,
    int ProcessedFrames,
    long TotalDetections,
    IReadOnlyDictionary<string, int> Classes,
    int? UniqueTracks,
    int? HeaderFrameCount,
    bool DecodingEndedEarly,
    string? AnnotatedVideo,
    IReadOnlyDictionary<string, object?>? Extra = null,
    IReadOnlyDictionary<string, ZoneCounts>? Counts = null);

public static class ResultJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
