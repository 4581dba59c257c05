using VideoTracker.Core.Detection;
using VideoTracker.Tests.Detection;

namespace VideoTracker.Tests.Counting;

/// <summary>
/// A zone along the frame's edge, through a real tracking job on the whole of vtest.avi (real model, real tracker, the API):
/// no tracked box reaches past the frame, and a zone that is the whole frame sees every track enter and none leave.
/// </summary>
public sealed class FrameEdgeCountingTests(DetectionAppFactory factory) : IClassFixture<DetectionAppFactory>
{
    private const int Width = 768;
    private const int Height = 576;

    private readonly HttpClient _client = factory.CreateClient();

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Events_PolygonThatIsTheWholeFrame_EveryTrackEntersOnceAndNoneExits()
    {
        var zones = $"[{{\"name\": \"frame\", \"type\": \"polygon\", \"points\": [[0, 0], [{Width}, 0], [{Width}, {Height}], [0, {Height}]]}}]";

        var job = await _client.SubmitCompletedAsync(TestClips.SampleClip, YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId, new Dictionary<string, string> { ["zones"] = zones });

        // Every box as the MOT export gives it: frame, id, left, top, width, height.
        var boxes = (await _client.GetStringAsync($"/v1/jobs/{job}/export?format=mot"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray())
            .ToList();
        Assert.NotEmpty(boxes);
        // (The right and bottom edges are left + width and top + height, written as floats: within a float's rounding.)
        Assert.All(boxes, b =>
        {
            Assert.InRange(b[2], 0, Width);
            Assert.InRange(b[3], 0, Height);
            Assert.InRange(b[2] + b[4], 0, Width + 1e-3);
            Assert.InRange(b[3] + b[5], 0, Height + 1e-3);
        });

        // Every anchor lies in the frame, edges included: a track enters once it has been seen twice (min_crossing_frames 2), and never exits.
        var log = await _client.GetJsonAsync($"/v1/jobs/{job}/events");
        var enteringTracks = boxes.GroupBy(b => (int)b[1]).Count(g => g.Count() >= 2);
        var counts = log.GetProperty("counts").GetProperty("frame");
        Assert.Equal((enteringTracks, 0), (counts.GetProperty("entered").GetInt32(), counts.GetProperty("exited").GetInt32()));
        Assert.DoesNotContain(log.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "exit");
    }
}
