using VideoTracker.Core.Detection;
using VideoTracker.Tests.Detection;

namespace VideoTracker.Tests.Counting;

/// <summary>
/// The annotated MP4 of a counting job counts what the event log counts, through real jobs (real model, tracker, refiner,
/// ffmpeg, the API): its overlay's final counts, recorded in the summary, against events.json.
/// </summary>
public sealed class AnnotatedVideoCountsTests(DetectionAppFactory factory) : IClassFixture<DetectionAppFactory>
{
    private const string Zones = "[{\"name\": \"frame\", \"type\": \"polygon\", \"points\": [[0, 0], [768, 0], [768, 576], [0, 576]]},"
        + " {\"name\": \"middle\", \"type\": \"line\", \"points\": [[0, 300], [768, 300]]}]";

    private readonly HttpClient _client = factory.CreateClient();

    private async Task<(JsonElement Summary, JsonElement Counts)> RunAsync(string clip, Dictionary<string, string> options)
    {
        options["zones"] = Zones;
        options["annotated"] = "true";
        var job = await _client.SubmitCompletedAsync(clip, YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId, options);
        var summary = (await _client.GetJsonAsync($"/v1/jobs/{job}")).GetProperty("results").GetProperty("results").GetProperty("summary");
        Assert.Equal(AnnotatedVideo.FileName, summary.GetProperty("annotated_video").GetString());
        return (summary, (await _client.GetJsonAsync($"/v1/jobs/{job}/events")).GetProperty("counts"));
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task AnnotatedJob_RefinementThatChangesTheCounts_TheVideoShowsTheEventLogsCounts()
    {
        var clip = SampleClips.VtestCut(factory.Clips.Path, 250, "annotated-counts.avi");

        // The tracker's own output (no gap filling, no minimum), and the same clip refined: filled gaps and only tracks of 20 boxes or more.
        var (_, raw) = await RunAsync(clip, new() { ["interpolate"] = "false", ["min_track_length"] = "1" });
        var (summary, refined) = await RunAsync(clip, new() { ["interpolate"] = "true", ["min_track_length"] = "20" });

        Assert.NotEqual(raw.GetRawText(), refined.GetRawText());
        Assert.Equal(refined.GetRawText(), summary.GetProperty("counts").GetRawText());
        Assert.Equal(refined.GetRawText(), summary.GetProperty("extra").GetProperty("annotated_video_counts").GetRawText());
    }
}
