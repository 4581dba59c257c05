using System.Text;
using VideoTracker.Core.Export;

namespace VideoTracker.Tests.Export;

/// <summary>
/// The cvat export of results written by the real writer, with every frame but the odd ones analysed, tracks with a
/// gap, a track that reaches the last analysed frame and boxes without a track id, read back by our CVAT reader.
/// </summary>
public sealed class CvatExporterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Cvat_MixedTrackedAndUntrackedBoxes_TracksByIdThenOneFrameTracksInFrameOrder_EachClosedOnTheNextAnalysedFrame()
    {
        var boxes = new Dictionary<int, List<DetectedObject>>
        {
            [0] = [Person(7)],
            [2] = [Person(7), Car(), Person(null)],
            [4] = [Person(3)],
            [6] = [Person(3), Person(7)],
            [8] = [Person(7), Person(3)],
            [10] = [Person(3), Car()],
        };
        await using (var writer = new FrameResultsWriter(_dir.Path))
        {
            foreach (var (frame, detections) in boxes)
            {
                await writer.WriteAsync(new FrameDetections(frame, frame * 40.0, detections), CancellationToken.None);
            }

            await writer.CompleteAsync(new ToolRunSummary(11, 6, 11, false), CancellationToken.None);
        }

        var job = new VideoJob { JobId = Guid.NewGuid(), PluginId = "p", Tool = "t", OriginalFileName = "a.mp4", StoredFilePath = "a.mp4" };
        using var output = new MemoryStream();
        await new CvatExporter().WriteAsync(new JobResults(job, _dir.Path, Path.Combine(_dir.Path, "missing.mp4")), output, CancellationToken.None);
        var cvat = CvatVideoReader.Parse(Encoding.UTF8.GetString(output.ToArray()));

        Assert.Equal(["car", "person"], cvat.Labels);
        Assert.Equal(["person", "person", "car", "person", "car"], cvat.Tracks.Select(t => t.Label));
        Assert.Equal([0, 1, 2, 3, 4], cvat.Tracks.Select(t => t.Id));
        (int Frame, bool Outside)[][] expected =
        [
            [(4, false), (6, false), (8, false), (10, false)], // track 3 reaches the last analysed frame: nothing after it
            [(0, false), (2, false), (4, true), (6, false), (8, false), (10, true)], // track 7, missing on frames 4 and 10
            [(2, false), (4, true)], // the car on frame 2
            [(2, false), (4, true)], // the person without a track id on frame 2
            [(10, false)], // the car on the last analysed frame
        ];
        Assert.Equal(expected, cvat.Tracks.Select(t => t.Boxes.Select(b => (b.Frame, b.Outside)).ToArray()));
    }

    private static DetectedObject Person(int? track) => new(10, 20, 30, 60, 0.9f, 0, "person", track);

    private static DetectedObject Car() => new(50, 50, 90, 70, 0.8f, 2, "car", null);
}
