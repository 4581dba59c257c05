using VideoTracker.Tests.Video;

namespace VideoTracker.Tests.OpenCvClassic;

/// <summary>OpenCV's HOG people detector on real frames.</summary>
public sealed class PeopleDetectionToolTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [SharedAssetFact(SharedAsset.Sample)]
    public async Task Run_OnVtestFrames_FindsPeopleInsideTheFrame()
    {
        var tool = new PeopleDetectionTool();
        var options = ToolOptions.Bind(tool.Manifest.Inputs, new Dictionary<string, string?> { ["max_frames"] = "4" }).AssertBound();
        var reports = new List<FrameProgress>();
        var writer = new FrameResultsWriter(_temp.Combine("results"));
        ToolRunSummary summary;
        await using (writer)
        {
            summary = await tool.RunAsync(new ToolRequest(TestClips.SampleClip, "cpu", options, writer, _temp.Path), new SyncProgress(reports.Add), CancellationToken.None);
            await writer.CompleteAsync(summary, CancellationToken.None);
        }

        Assert.Equal((4, 4), (summary.TotalFrames, summary.ProcessedFrames));
        Assert.Equal(new FrameProgress(4, 4), reports[^1]);
        var frames = new List<FrameDetections>();
        await foreach (var frame in ResultsReader.ReadFramesAsync(_temp.Combine("results")))
        {
            frames.Add(frame);
        }

        var people = frames.SelectMany(f => f.Detections).ToList();
        Assert.True(people.Count >= 4, $"HOG found only {people.Count} people in 4 frames of a busy pedestrian clip.");
        Assert.All(people, d =>
        {
            Assert.Equal("person", d.ClassName);
            Assert.InRange(d.Confidence, 0f, 1f);
            Assert.InRange(d.X1, 0, 768);
            Assert.InRange(d.X2, d.X1 + 1, 768);
            Assert.InRange(d.Y1, 0, 576);
            Assert.InRange(d.Y2, d.Y1 + 1, 576);
        });
    }

    /// <summary>
    /// Frames smaller than the detector's 64 × 128 window, even padded, once killed the whole process (OpenCV's heap
    /// was corrupted); they now give no people, and a frame just large enough is still searched.
    /// </summary>
    [Theory]
    [InlineData(101, 77, "1")]
    [InlineData(2, 2, "4")]
    [InlineData(47, 111, "1")]
    [InlineData(48, 112, "1")]
    [InlineData(160, 120, "1")]
    public async Task Run_OnFramesSmallerThanTheDetectorsWindow_FindsNobodyAndEnds(int width, int height, string upscale)
    {
        var clip = TestClips.MovingSquare(_temp.Path, frames: 2, width: width, height: height, name: $"small-{width}x{height}.avi");
        var tool = new PeopleDetectionTool();
        var options = ToolOptions.Bind(tool.Manifest.Inputs, new Dictionary<string, string?> { ["upscale"] = upscale }).AssertBound();
        var writer = new FrameResultsWriter(_temp.Combine($"results-{width}x{height}"));
        ToolRunSummary summary;
        await using (writer)
        {
            summary = await tool.RunAsync(new ToolRequest(clip, "cpu", options, writer, _temp.Path), new SyncProgress(_ => { }), CancellationToken.None);
            await writer.CompleteAsync(summary, CancellationToken.None);
        }

        Assert.Equal(2, summary.ProcessedFrames);
        await foreach (var frame in ResultsReader.ReadFramesAsync(_temp.Combine($"results-{width}x{height}")))
        {
            Assert.Empty(frame.Detections);   // a plain square on black is nobody
        }
    }

    [Fact]
    public void Manifest_IsListedUnderOpenCvClassicAndNeedsNoModel()
    {
        var tool = new PeopleDetectionTool();

        Assert.Equal("video_people_detection", tool.Manifest.Id);
        Assert.True(tool.GetAvailability().Available);
        Assert.IsAssignableFrom<IOpenCvClassicTool>(tool);
    }

    public void Dispose() => _temp.Dispose();
}
