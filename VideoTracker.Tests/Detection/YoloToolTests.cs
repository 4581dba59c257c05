using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenCvSharp;
using VideoTracker.Core.Detection;
using VideoTracker.Tests.Support;
using VideoTracker.Tests.Video;

namespace VideoTracker.Tests.Detection;

/// <summary>One shared ONNX Runtime session for the tests of a class, as the app shares one.</summary>
public sealed class ModelFixture : IDisposable
{
    public DetectorSessions Sessions { get; } = new(Options.Create(new DetectionOptions { IntraOpThreads = 2 }), NullLogger<DetectorSessions>.Instance);

    public TempDirectory Temp { get; } = new();

    public YoloTool Tool(YoloToolKind kind, string? ffmpegPath = null, ILogger? logger = null)
    {
        var model = new DetectionModel(Options.Create(new DetectionOptions { ModelPath = TestClips.ModelPath }), new DataPaths(Temp.Path), NullLogger<DetectionModel>.Instance);
        return new YoloTool(kind, model, Sessions, new FfmpegLocator(ffmpegPath), logger);
    }

    public void Dispose()
    {
        Sessions.Dispose();
        Temp.Dispose();
    }
}

/// <summary>The yolo tools with the real YOLOX-Nano model on real frames of vtest.avi.</summary>
public sealed class YoloToolTests(ModelFixture fixture) : IClassFixture<ModelFixture>
{
    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task PlayerDetection_FirstHundredFramesOfVtest_FindsAPersonInAtLeast90PercentWithBoxesInsideTheFrame()
    {
        var run = await RunAsync(YoloToolKind.PlayerDetection, new() { ["max_frames"] = "100" });

        Assert.Equal(100, run.Summary.ProcessedFrames);
        Assert.Equal(Enumerable.Range(0, 100), run.Frames.Select(f => f.FrameIndex));
        var withPerson = run.Frames.Count(f => f.Detections.Any(d => d.ClassName == "person" && d.Confidence >= 0.3f));
        Assert.True(withPerson >= 90, $"Only {withPerson} of 100 frames have a person.");
        var all = run.Frames.SelectMany(f => f.Detections).ToList();
        Assert.All(all, d =>
        {
            Assert.Equal(0, d.ClassId);
            Assert.InRange(d.Confidence, 0.3f, 1f);
            Assert.InRange(d.X1, 0, 768);
            Assert.InRange(d.X2, d.X1 + 1, 768);
            Assert.InRange(d.Y1, 0, 576);
            Assert.InRange(d.Y2, d.Y1 + 1, 576);
            Assert.Null(d.TrackId);
        });
        Assert.Equal(new FrameProgress(100, 100), run.Progress[^1]);
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task PlayerTracking_VtestCut_GivesEveryBoxATrackIdAndKeepsIdsAcrossFrames()
    {
        var run = await RunAsync(YoloToolKind.PlayerTracking, new() { ["max_frames"] = "40" });

        var boxes = run.Frames.SelectMany(f => f.Detections).ToList();
        Assert.NotEmpty(boxes);
        Assert.All(boxes, d => Assert.NotNull(d.TrackId));
        Assert.All(run.Frames, f => Assert.Equal(f.Detections.Count, f.Detections.Select(d => d.TrackId).Distinct().Count()));
        var longest = boxes.GroupBy(d => d.TrackId).Max(g => g.Count());
        Assert.True(longest >= 30, $"No track lasted 30 of 40 frames (longest {longest}).");
        Assert.True(boxes.Select(d => d.TrackId).Distinct().Count() * 5 < boxes.Count, "Ids change too often to be tracks.");

        // The track table and one thumbnail per track are written next to the results, in the same pass.
        await using var table = File.OpenRead(ResultFiles.TracksPath(run.OutputDirectory));
        var rows = await System.Text.Json.JsonSerializer.DeserializeAsync<List<TrackRow>>(table, ResultJson.Options);
        Assert.Equal(boxes.Select(d => d.TrackId!.Value).Distinct().Order(), rows!.Select(r => r.TrackId));
        foreach (var row in rows!)
        {
            var seen = run.Frames.Where(f => f.Detections.Any(d => d.TrackId == row.TrackId)).ToList();
            Assert.Equal(seen[0].FrameIndex, row.FirstFrame);
            Assert.Equal(seen[^1].FrameIndex, row.LastFrame);
            Assert.Equal(seen[^1].TimestampMs, row.LastMs);
            Assert.Equal(seen.Count, row.Frames);
            Assert.True(row.HasThumbnail);
            using var thumbnail = Cv2.ImRead(ResultFiles.ThumbnailPath(run.OutputDirectory, row.TrackId));
            Assert.False(thumbnail.Empty());
            Assert.InRange(thumbnail.Height, 1, TrackTableBuilder.ThumbnailHeight);
        }
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Run_WithFrameStride_AnalysesEveryNthFrameButCountsEveryDecodedOne()
    {
        var run = await RunAsync(YoloToolKind.BallDetection, new() { ["max_frames"] = "30", ["frame_stride"] = "3" });

        Assert.Equal((30, 10), (run.Summary.TotalFrames, run.Summary.ProcessedFrames));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 3), run.Frames.Select(f => f.FrameIndex));
        Assert.Equal(Enumerable.Range(0, 31), run.Progress.Select(p => p.CurrentFrame));
        Assert.All(run.Progress, p => Assert.Equal(30, p.TotalFrames));
        Assert.All(run.Frames.SelectMany(f => f.Detections), d => Assert.Equal("sports ball", d.ClassName));
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Run_AnnotatedTrackingWithZones_DrawsTheLineInItsZoneColourOnTheMp4()
    {
        var run = await RunAsync(YoloToolKind.PlayerTracking, new()
        {
            ["max_frames"] = "5",
            ["annotated"] = "true",
            ["zones"] = "[{\"name\": \"gate\", \"type\": \"line\", \"points\": [[20, 20], [748, 20]]}]",
        });

        using var capture = new VideoCapture(Path.Combine(run.OutputDirectory, AnnotatedVideo.FileName));
        using var frame = new Mat();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(capture.Read(frame) && !frame.Empty());
        }

        var (r, g, b) = VideoTracker.Core.Counting.ZoneColors.Rgb(0);
        var samples = Enumerable.Range(0, 13).Select(i => frame.At<Vec3b>(20, 100 + (i * 50))).ToList();
        var onLine = samples.Count(p => Math.Abs(p.Item0 - b) < 45 && Math.Abs(p.Item1 - g) < 45 && Math.Abs(p.Item2 - r) < 45);
        Assert.True(onLine >= 11, $"Only {onLine} of {samples.Count} pixels along the line have the zone's colour.");
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Run_Annotated_WritesAnH264Mp4WithTheSameFrameCount()
    {
        var run = await RunAsync(YoloToolKind.PlayerTracking, new() { ["max_frames"] = "20", ["annotated"] = "true" });

        Assert.Equal(AnnotatedVideo.FileName, run.Summary.AnnotatedVideo);
        var path = Path.Combine(run.OutputDirectory, AnnotatedVideo.FileName);
        using var capture = new VideoCapture(path);
        Assert.True(capture.IsOpened());
        Assert.Equal((768, 576), (capture.FrameWidth, capture.FrameHeight));
        Assert.Equal("h264", FourCcName(capture.Get(VideoCaptureProperties.FourCC)).ToLowerInvariant().Replace("avc1", "h264", StringComparison.Ordinal));
        var decoded = 0;
        using var frame = new Mat();
        while (capture.Read(frame) && !frame.Empty())
        {
            decoded++;
        }

        Assert.Equal(20, decoded);
    }

    [SharedAssetFact(SharedAsset.Model)]
    public async Task Run_AnnotatedOnAVariableFrameRateClip_ShowsEachFrameAtItsOwnTime()
    {
        var clip = await VariableFrameRateClip.CreateAsync(fixture.Temp.Combine("vfr-" + Guid.NewGuid().ToString("N")));

        var run = await RunAsync(YoloToolKind.PlayerDetection, new() { ["annotated"] = "true" }, clip: clip.Path);

        // The gaps grow from 40 ms to 790 ms; a constant-rate MP4 would show frame k at k / fps instead.
        Assert.Equal(clip.TimestampsMs, run.Frames.Select(f => f.TimestampMs));
        Assert.Equal(clip.TimestampsMs, await VariableFrameRateClip.FrameTimesMsAsync(Path.Combine(run.OutputDirectory, AnnotatedVideo.FileName)));
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Run_AnnotatedWithoutFfmpeg_CompletesAndSaysWhyThereIsNoVideo()
    {
        var log = new ListLogger<YoloTool>();
        var run = await RunAsync(YoloToolKind.PlayerDetection, new() { ["max_frames"] = "5", ["annotated"] = "true" }, ffmpegPath: "/nonexistent/ffmpeg", logger: log);

        Assert.Equal(5, run.Summary.ProcessedFrames);
        Assert.Null(run.Summary.AnnotatedVideo);
        Assert.Equal("The annotated video was not produced: ffmpeg was not found at the path set in Detection:FfmpegPath.", run.Summary.AnnotatedVideoError);
        Assert.Equal(["The annotated video was not produced: ffmpeg was not found at the path set in Detection:FfmpegPath."], log.Messages);
        Assert.False(File.Exists(Path.Combine(run.OutputDirectory, AnnotatedVideo.FileName)));
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Run_CancelledMidway_StopsBetweenFrames()
    {
        using var cts = new CancellationTokenSource();
        var reports = new List<FrameProgress>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(
            YoloToolKind.PlayerDetection, new() { ["max_frames"] = "200" }, token: cts.Token,
            progress: p =>
            {
                reports.Add(p);
                if (p.CurrentFrame == 5)
                {
                    cts.Cancel();
                }
            }));

        Assert.InRange(reports[^1].CurrentFrame, 5, 6);
    }

    private async Task<(ToolRunSummary Summary, List<FrameDetections> Frames, List<FrameProgress> Progress, string OutputDirectory)> RunAsync(
        YoloToolKind kind, Dictionary<string, string?> options, string? ffmpegPath = null, Action<FrameProgress>? progress = null, string? clip = null,
        ILogger? logger = null, CancellationToken token = default)
    {
        var tool = fixture.Tool(kind, ffmpegPath, logger);
        var bound = ToolOptions.Bind(tool.Manifest.Inputs, options).AssertBound();
        var output = fixture.Temp.Combine("out-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);
        var sink = new CollectingSink();
        var reports = new List<FrameProgress>();

        // As a job runs it: a counting tool's frames go through the job's counter, which the tool reads.
        clip ??= TestClips.SampleClip;
        var counting = CountingSink.For(tool.Manifest.Inputs, bound, clip, sink);
        var request = new ToolRequest(clip, "cpu", bound, (IFrameSink?)counting ?? sink, output) { Counting = counting?.Counter };
        var summary = await tool.RunAsync(request, new SyncProgress(p =>
        {
            reports.Add(p);
            progress?.Invoke(p);
        }), token);
        return (summary, sink.Frames, reports, output);
    }

    private static string FourCcName(double fourcc)
    {
        var code = (int)fourcc;
        return new string([(char)(code & 0xFF), (char)((code >> 8) & 0xFF), (char)((code >> 16) & 0xFF), (char)((code >> 24) & 0xFF)]);
    }

    internal sealed class CollectingSink : IFrameSink
    {
        public List<FrameDetections> Frames { get; } = [];

        public ValueTask WriteAsync(FrameDetections frame, CancellationToken cancellationToken)
        {
            Frames.Add(frame);
            return ValueTask.CompletedTask;
        }
    }
}
