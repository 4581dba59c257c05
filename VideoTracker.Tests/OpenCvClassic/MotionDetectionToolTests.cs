namespace VideoTracker.Tests.OpenCvClassic;

/// <summary>MOG2 motion detection on frames wider than its working width, decoded by OpenCV or ffmpeg: boxes come back in source pixels.</summary>
public sealed class MotionDetectionToolTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_On1280x720Clip_ReportsTheMovingSquareInFullResolutionPixels(bool ffmpeg)
    {
        // A 144 px white square crossing a 1280×720 frame at y 288–432 (TestClips.MovingSquare's layout).
        const int Width = 1280, Height = 720, Frames = 40, Side = Height / 5;
        var clip = TestClips.MovingSquare(_temp.Path, frames: Frames, width: Width, height: Height, name: "wide.avi");

        // With ffmpeg, frames arrive already scaled to the work width, from ffmpeg's own decoder and scaler.
        var tool = new MotionDetectionTool(ffmpeg ? new FfmpegLocator(Video.FfmpegFrameReaderTests.Ffmpeg) : null);
        var options = ToolOptions.Bind(tool.Manifest.Inputs, new Dictionary<string, string?>()).AssertBound();
        var writer = new FrameResultsWriter(_temp.Combine("results"));
        await using (writer)
        {
            var summary = await tool.RunAsync(new ToolRequest(clip, "cpu", options, writer, _temp.Path), new Progress<FrameProgress>(), CancellationToken.None);
            await writer.CompleteAsync(summary, CancellationToken.None);
        }

        var checkedFrames = 0;
        await foreach (var frame in ResultsReader.ReadFramesAsync(_temp.Combine("results")))
        {
            if (frame.FrameIndex < 10)
            {
                continue; // the background model is still learning
            }

            var x = (int)((Width - Side) * (frame.FrameIndex / (double)(Frames - 1)));
            var box = Assert.Single(frame.Detections);

            // The blob's leading (right), top and bottom edges are the square's, in source pixels (dilation adds a
            // few); its trailing edge depends on how fast the background forgets the square, so it is only bounded.
            Assert.InRange(box.X2, x + Side - 4, x + Side + 12);
            Assert.InRange(box.Y1, (Height - Side) / 2 - 12, (Height - Side) / 2 + 4);
            Assert.InRange(box.Y2, (Height + Side) / 2 - 4, (Height + Side) / 2 + 12);
            Assert.InRange(box.X1, 0, box.X2 - 20);
            checkedFrames++;
        }

        Assert.Equal(Frames - 10, checkedFrames);
    }

    public void Dispose() => _temp.Dispose();
}
