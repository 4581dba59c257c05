using System.Text;
using VideoTracker.Core.Export;

namespace VideoTracker.Tests.Export;

/// <summary>Exports of results written by the real writer into a temp folder, each exporter called as the endpoint calls it.</summary>
public sealed class ExporterFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Every even frame analysed, tracks with a gap, a track that reaches the last analysed frame and boxes without a
    /// track id, read back by our CVAT reader.
    /// </summary>
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
        var cvat = CvatVideoReader.Parse(await ExportAsync(new CvatExporter(), boxes));

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

    /// <summary>MOTChallenge widths and heights are rounded as the corners are: 50.02 - 10.01 was written 40.010002.</summary>
    [Fact]
    public async Task Mot_CornersWithTwoDecimals_WidthAndHeightHaveTwoDecimalsWithoutFloatNoise()
    {
        var box = new DetectedObject(10.01f, 20.03f, 50.02f, 60.07f, 0.9f, 0, "person", 4);

        var mot = await ExportAsync(new MotExporter(), new() { [0] = [box] });

        Assert.Equal("1,4,10.01,20.03,40.01,40.04,0.9,-1,-1,-1", mot.TrimEnd());
    }

    /// <summary>Writes <paramref name="boxes"/> (by frame, 25 fps) with the real writer and answers the export's text.</summary>
    private async Task<string> ExportAsync(IResultExporter exporter, Dictionary<int, List<DetectedObject>> boxes)
    {
        await using (var writer = new FrameResultsWriter(_dir.Path))
        {
            foreach (var (frame, detections) in boxes)
            {
                await writer.WriteAsync(new FrameDetections(frame, frame * 40.0, detections), CancellationToken.None);
            }

            var last = boxes.Keys.Max() + 1;
            await writer.CompleteAsync(new ToolRunSummary(last, boxes.Count, last, false), CancellationToken.None);
        }

        var job = new VideoJob { JobId = Guid.NewGuid(), PluginId = "p", Tool = "t", OriginalFileName = "a.mp4", StoredFilePath = "a.mp4" };
        using var output = new MemoryStream();
        await exporter.WriteAsync(new JobResults(job, _dir.Path, Path.Combine(_dir.Path, "missing.mp4")), output, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static DetectedObject Person(int? track) => new(10, 20, 30, 60, 0.9f, 0, "person", track);

    private static DetectedObject Car() => new(50, 50, 90, 70, 0.8f, 2, "car", null);
}
