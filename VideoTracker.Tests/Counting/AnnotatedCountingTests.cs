using OpenCvSharp;
using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Counting;

/// <summary>The annotated MP4 of a counting job, encoded by the real ffmpeg and decoded again by OpenCV.</summary>
public sealed class AnnotatedCountingTests : IDisposable
{
    private const int Width = 320;
    private const int Height = 240;
    private const int Frames = 20;
    private const double Fps = 10;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>One 24-pixel square going straight down at x 68–92 from y 60 to 180: it crosses y = 120 once.</summary>
    private static DetectedObject SquareAt(int frame)
    {
        var top = 60f + (120f * frame / (Frames - 1));
        return new DetectedObject(68, top, 92, top + 24, 0.9f, 0, "person", 7);
    }

    private async Task<(string Path, CountingOverlay Overlay)> WriteAsync(CountingSettings settings)
    {
        var ffmpeg = new FfmpegLocator((string?)null);
        Assert.True(ffmpeg.IsAvailable, "ffmpeg is needed (scripts/deps.sh installs it).");
        var counter = new ZoneCounter(settings);
        var overlay = new CountingOverlay(counter);
        await using var video = new AnnotatedVideo(ffmpeg, _dir.Path, Fps, overlay);
        for (var i = 0; i < Frames; i++)
        {
            using var frame = new Mat(Height, Width, MatType.CV_8UC3, Scalar.Black);
            counter.Add(i, i * 1000 / Fps, [SquareAt(i)]);
            await video.WriteAsync(frame, i, i * 1000 / Fps, [SquareAt(i)], analysed: true, CancellationToken.None);
        }

        Assert.Equal(AnnotatedVideo.FileName, await video.CompleteAsync(CancellationToken.None));
        return (Path.Combine(_dir.Path, AnnotatedVideo.FileName), overlay);
    }

    private static Mat DecodeFrame(string path, int index)
    {
        using var capture = new VideoCapture(path);
        var frame = new Mat();
        for (var i = 0; i <= index; i++)
        {
            Assert.True(capture.Read(frame) && !frame.Empty(), $"Frame {i} of the annotated video should decode.");
        }

        return frame;
    }

    /// <summary>The largest B+G+R sum on row <paramref name="y"/> between two columns.</summary>
    private static int Brightest(Mat frame, int y, int fromX, int toX) =>
        Enumerable.Range(fromX, toX - fromX + 1).Max(x => { var p = frame.At<Vec3b>(y, x); return p.Item0 + p.Item1 + p.Item2; });

    [Fact]
    public async Task Write_CountingJobWithALine_TheDecodedFramesShowTheLineInItsZoneColourAndTheCrossingIsCounted()
    {
        var settings = new CountingSettings([new("gate", ZoneKind.Line, [new(20, 120), new(300, 120)])], AnchorPoint.BottomCenter, 2, true, 30);

        var (path, overlay) = await WriteAsync(settings);

        using var frame = DecodeFrame(path, 15);
        var (r, g, b) = ZoneColors.Rgb(0);
        for (var x = 130; x <= 290; x += 10)
        {
            var pixel = frame.At<Vec3b>(120, x);
            Assert.True(
                Math.Abs(pixel.Item0 - b) < 45 && Math.Abs(pixel.Item1 - g) < 45 && Math.Abs(pixel.Item2 - r) < 45,
                $"The line at ({x}, 120) should be the zone's colour ({r}, {g}, {b}); it is ({pixel.Item2}, {pixel.Item1}, {pixel.Item0}).");
        }

        // Away from the line, the picture is still black.
        var clear = frame.At<Vec3b>(60, 200);
        Assert.True(clear.Item0 + clear.Item1 + clear.Item2 < 60, "Nothing should be drawn far from the line and the square.");

        // The square went down through the gate: one "in", drawn as a running count.
        Assert.Equal((1, 0), (overlay.CountOf("gate", ZoneCounter.In), overlay.CountOf("gate", ZoneCounter.Out)));

        // Its trail: the anchor's earlier positions (x = 80, bottom of the box) are drawn behind it.
        var earlier = SquareAt(8);
        Assert.True(Brightest(frame, (int)earlier.Y2, 78, 82) > 200, $"The trail should pass (80, {earlier.Y2:0}).");
    }

    [Fact]
    public async Task Write_TrailsOff_DrawsNoTrailBehindTheTrack()
    {
        var settings = new CountingSettings([new("gate", ZoneKind.Line, [new(20, 120), new(300, 120)])], AnchorPoint.BottomCenter, 2, false, 30);

        var (path, _) = await WriteAsync(settings);

        using var frame = DecodeFrame(path, 15);
        var earlier = SquareAt(3);
        Assert.True(Brightest(frame, (int)earlier.Y2, 78, 82) < 60, "Without trails nothing is drawn where the track was.");
    }

    [Fact]
    public async Task HoldAndRelease_FramesHeldUntilTheirDetectionsAreFinal_EachShowsItsAnalysedFramesFinalBoxes()
    {
        // Six frames at stride 2 (0, 2 and 4 analysed), all decoded before any detections are final, as a refiner holds them.
        var ffmpeg = new FfmpegLocator((string?)null);
        Assert.True(ffmpeg.IsAvailable, "ffmpeg is needed (scripts/deps.sh installs it).");
        var video = new AnnotatedVideo(ffmpeg, _dir.Path, Fps);
        await using (video)
        {
            for (var i = 0; i < 6; i++)
            {
                using var frame = new Mat(Height, Width, MatType.CV_8UC3, Scalar.Black);
                await video.HoldAsync(frame, i, i * 1000 / Fps, analysed: i % 2 == 0, CancellationToken.None);
            }

            Assert.Equal(6, video.MostHeld);
            await video.ReleaseAsync(new FrameDetections(0, 0, []), CancellationToken.None);
            await video.ReleaseAsync(new FrameDetections(2, 200, [new DetectedObject(40, 60, 100, 140, 0.9f, 0, "person", 1)]), CancellationToken.None);
            await video.ReleaseAsync(new FrameDetections(4, 400, [new DetectedObject(200, 60, 260, 140, 0.9f, 0, "person", 1)]), CancellationToken.None);
            Assert.Equal(AnnotatedVideo.FileName, await video.CompleteAsync(CancellationToken.None));
        }

        var path = Path.Combine(_dir.Path, AnnotatedVideo.FileName);
        Assert.Equal(6, SampleClips.CountDecodedFrames(path));
        var shown = Enumerable.Range(0, 6).Select(i =>
        {
            using var frame = DecodeFrame(path, i);
            return (Left: Brightest(frame, 100, 38, 42) > 200, Right: Brightest(frame, 100, 198, 202) > 200);
        }).ToList();
        Assert.Equal([(false, false), (false, false), (true, false), (true, false), (false, true), (false, true)], shown);
    }

    [Fact]
    public async Task HoldAndRelease_CountingJobWithFramesHeldBack_EachFrameShowsTheEventLogsCountsUpToThatFrame()
    {
        // The job's counter, which writes the event log, and a video that reads it. Every other frame is analysed, and a
        // refiner holds two analysed frames back. A square at x 20–44 goes down through the line once, stamped at the frame it crossed.
        var settings = new CountingSettings([new("gate", ZoneKind.Line, [new(300, 120), new(20, 120)])], AnchorPoint.BottomCenter, 1, false, 30);
        var counting = new CountingSink(new Detection.YoloToolTests.CollectingSink(), settings, Width, Height);
        var ffmpeg = new FfmpegLocator((string?)null);
        Assert.True(ffmpeg.IsAvailable, "ffmpeg is needed (scripts/deps.sh installs it).");
        var video = new AnnotatedVideo(ffmpeg, _dir.Path, Fps, new CountingOverlay(counting.Counter));
        await using (video)
        {
            var frames = video.After(counting);
            var refining = new Queue<FrameDetections>();
            for (var i = 0; i < Frames; i++)
            {
                var analysed = i % 2 == 0;
                if (analysed)
                {
                    var square = SquareAt(i);
                    refining.Enqueue(new FrameDetections(i, i * 1000 / Fps, [square with { X1 = 20, X2 = 44 }]));
                    if (refining.Count > 2)
                    {
                        await frames.WriteAsync(refining.Dequeue(), CancellationToken.None);
                    }
                }

                using var frame = new Mat(Height, Width, MatType.CV_8UC3, Scalar.Black);
                await video.HoldAsync(frame, i, i * 1000 / Fps, analysed, CancellationToken.None);
            }

            while (refining.TryDequeue(out var last))
            {
                await frames.WriteAsync(last, CancellationToken.None);
            }

            Assert.Equal(AnnotatedVideo.FileName, await video.CompleteAsync(CancellationToken.None));
        }

        var crossing = Assert.Single(counting.Counter.Complete().Events);

        // The count label, under the line's first point on the right, clear of the square, changes at that frame and at no other.
        using var capture = new VideoCapture(Path.Combine(_dir.Path, AnnotatedVideo.FileName));
        var labels = new List<Mat>();
        using var decoded = new Mat();
        while (capture.Read(decoded) && !decoded.Empty())
        {
            labels.Add(decoded[new Rect(180, 118, 135, 30)].Clone());
        }

        Assert.Equal(Frames, labels.Count);
        var changed = Enumerable.Range(1, Frames - 1).Where(i =>
        {
            using var difference = new Mat();
            Cv2.Absdiff(labels[i], labels[i - 1], difference);
            Cv2.MinMaxLoc(difference.Reshape(1), out _, out double most);
            return most > 100;
        }).ToList();
        labels.ForEach(label => label.Dispose());
        Assert.Equal([crossing.FrameIndex], changed);
    }

    [Fact]
    public async Task Hold_MoreFramesThanTheBudget_GivesTheVideoUpWithTheReasonInsteadOfDrawingUnfinishedBoxes()
    {
        var ffmpeg = new FfmpegLocator((string?)null);
        var frameBytes = Width * Height * 3;
        var video = new AnnotatedVideo(ffmpeg, _dir.Path, Fps, maxHeldBytes: 5 * frameBytes);
        await using (video)
        {
            for (var i = 0; i < 8; i++)
            {
                using var frame = new Mat(Height, Width, MatType.CV_8UC3, Scalar.Black);
                await video.HoldAsync(frame, i, i * 1000 / Fps, analysed: true, CancellationToken.None);
            }

            await video.ReleaseAsync(new FrameDetections(0, 0, []), CancellationToken.None);

            Assert.Equal(5, video.MostHeld);
            Assert.Null(await video.CompleteAsync(CancellationToken.None));
            Assert.Contains("more than 5 decoded frames", video.Error, StringComparison.Ordinal);
        }
    }
}
