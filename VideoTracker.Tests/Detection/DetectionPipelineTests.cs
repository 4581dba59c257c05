using VideoTracker.Core.Detection;
using VideoTracker.Tests.Video;

namespace VideoTracker.Tests.Detection;

/// <summary>The pipelined detection loop keeps the frame loop's promises about counts and failures.</summary>
public sealed class DetectionPipelineTests(ModelFixture fixture) : IClassFixture<ModelFixture>
{
    [SharedAssetTheory(SharedAsset.Model)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_HeaderClaimsMoreFramesThanDecode_ReportsTheRealCountAndEndsEarly(bool ffmpeg)
    {
        var clip = TestClips.MovingSquare(fixture.Temp.Combine(Guid.NewGuid().ToString("N")), frames: 20);
        TestClips.SetAviHeaderFrameCount(clip, 60);

        var (summary, reports) = await RunAsync(clip, ffmpeg);

        Assert.Equal((20, 20, 60), (summary.TotalFrames, summary.ProcessedFrames, summary.HeaderFrameCount));
        Assert.True(summary.DecodingEndedEarly);
        Assert.Equal(20, reports[^1].CurrentFrame);
        Assert.All(reports, r => Assert.Equal(60, r.TotalFrames));
    }

    [SharedAssetTheory(SharedAsset.Model)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_HeaderClaimsFewerFramesThanDecode_KeepsGoingAndNeverShows100(bool ffmpeg)
    {
        var clip = TestClips.MovingSquare(fixture.Temp.Combine(Guid.NewGuid().ToString("N")), frames: 30);
        TestClips.SetAviHeaderFrameCount(clip, 10);

        var (summary, reports) = await RunAsync(clip, ffmpeg);

        Assert.Equal(30, summary.TotalFrames);
        Assert.False(summary.DecodingEndedEarly);
        Assert.Equal(Enumerable.Range(0, 31), reports.Select(r => r.CurrentFrame));
        Assert.All(reports, r => Assert.InRange(r.RunningPercent, 0, 99));
    }

    [SharedAssetTheory(SharedAsset.Model)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_ContainerOpensButNoFrameDecodes_FailsWithAReadableError(bool ffmpeg)
    {
        var clip = TestClips.MovingSquare(fixture.Temp.Combine(Guid.NewGuid().ToString("N")), frames: 30);
        var bytes = File.ReadAllBytes(clip);
        var movi = bytes.AsSpan().IndexOf("movi"u8);
        bytes.AsSpan(movi + 4).Clear();
        File.WriteAllBytes(clip, bytes);

        var error = await Assert.ThrowsAsync<VideoToolException>(() => RunAsync(clip, ffmpeg));

        Assert.Contains("none of its frames could be decoded", error.Message, StringComparison.Ordinal);
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Run_FfmpegOrOpenCvDecoding_FindTheSamePeopleAtTheSameTimes()
    {
        var clip = SampleClips.VtestCut(fixture.Temp.Combine(Guid.NewGuid().ToString("N")), 40);

        var opencv = await DetectAsync(clip, ffmpeg: false);
        var ffmpeg = await DetectAsync(clip, ffmpeg: true);

        Assert.Equal(opencv.Select(f => (f.FrameIndex, f.TimestampMs)), ffmpeg.Select(f => (f.FrameIndex, f.TimestampMs)));
        var boxes = opencv.Sum(f => f.Detections.Count);
        var matched = opencv.Zip(ffmpeg).Sum(p => p.First.Detections.Count(a => p.Second.Detections.Any(b => Iou(a, b) >= 0.8)));
        var found = ffmpeg.Sum(f => f.Detections.Count);
        Assert.True(boxes > 200, $"Only {boxes} people in 40 frames of vtest.");
        Assert.True(matched >= 0.95 * boxes, $"{matched} of OpenCV's {boxes} boxes have a twin (IoU >= 0.8) when ffmpeg decodes.");
        Assert.InRange(found, 0.95 * boxes, 1.05 * boxes);
    }

    [SharedAssetFact(SharedAsset.Model)]
    public async Task Run_FfmpegStopsPartWay_FailsWithFfmpegsWords()
    {
        var directory = fixture.Temp.Combine(Guid.NewGuid().ToString("N"));
        var clip = TestClips.MovingSquare(directory, frames: 20);
        var box = fixture.Sessions.Get(TestClips.ModelPath, "cpu").Spec.LetterboxFor(160, 120);
        var script = Video.FfmpegFrameReaderTests.StandIn(
            Path.Combine(directory, "ffmpeg"), Video.FfmpegFrameReaderTests.Frames(5, box.ResizedWidth * box.ResizedHeight * 3) + "\necho 'Killed by the test' >&2\nexit 137");

        var error = await Assert.ThrowsAsync<VideoToolException>(() => RunAsync(clip, ffmpeg: true, script));

        Assert.Equal("Decoding stopped after 5 frames. ffmpeg exited with code 137: Killed by the test", error.Message);
    }

    [SharedAssetTheory(SharedAsset.Model | SharedAsset.Sample)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_SeveralFramesInTheModelAtOnce_GivesTheSameDetectionsInFrameOrder(bool ffmpeg)
    {
        var clip = SampleClips.VtestCut(fixture.Temp.Combine(Guid.NewGuid().ToString("N")), 40);
        var seen = new List<int>();

        var oneLane = await DetectAsync(clip, ffmpeg, lanes: 1);
        var threeLanes = await DetectAsync(clip, ffmpeg, lanes: 3, onFrame: seen.Add);

        Assert.Equal(Enumerable.Range(0, 40), seen);
        Assert.Equal(oneLane.Select(f => (f.FrameIndex, f.TimestampMs)), threeLanes.Select(f => (f.FrameIndex, f.TimestampMs)));
        Assert.True(oneLane.Sum(f => f.Detections.Count) > 200);
        Assert.Equal(oneLane.SelectMany(f => f.Detections), threeLanes.SelectMany(f => f.Detections));
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Run_PostProcessorThrowsWhileOtherFramesAreInTheModel_FailsWithItsErrorAndThePipelineRunsAgain()
    {
        var (pipeline, request) = TwoLanes(frames: 30);
        using var owned = pipeline;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunOnceAsync(
            pipeline, request, (_, index, _) => index == 7 ? throw new InvalidOperationException("tracker broke at 7") : []));
        var sink = new YoloToolTests.CollectingSink();
        var again = await RunOnceAsync(pipeline, request with { Frames = sink }, (kept, _, _) => [.. kept.Select(c => YoloTool.ToDetection(c, "person", null))]);

        Assert.Equal("tracker broke at 7", error.Message);
        Assert.Equal(30, again.ProcessedFrames);
        Assert.Equal(Enumerable.Range(0, 30), sink.Frames.Select(f => f.FrameIndex));
        Assert.True(sink.Frames.Sum(f => f.Detections.Count) > 100, $"{sink.Frames.Sum(f => f.Detections.Count)} people in 30 frames of vtest.");
    }

    /// <summary>
    /// One pipeline decoding with ffmpeg, then with OpenCV (an annotated run), then with ffmpeg again: each run's
    /// post-processor is lent that run's own frames, scaled or whole, with their scale.
    /// </summary>
    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Run_DecodersTakingTurnsOnOnePipeline_LendEachRunItsOwnFramesAndScale()
    {
        var (pipeline, request) = TwoLanes(frames: 6);
        using var owned = pipeline;
        var lent = new List<(int Width, double Scale)>();
        DetectionPostProcessor record = (_, _, frame) =>
        {
            lent.Add((frame.Pixels.Width, frame.Scale));
            return [];
        };
        async Task<List<(int Width, double Scale)>> RunAsync(AnnotatedVideo? video)
        {
            lent.Clear();
            await RunOnceAsync(pipeline, request, record, video);
            return [.. lent];
        }

        var scaled = await RunAsync(video: null);
        await using var video = new AnnotatedVideo(new FfmpegLocator((string?)null), request.OutputDirectory, 10);
        var whole = await RunAsync(video);
        var scaledAgain = await RunAsync(video: null);

        Assert.All(new[] { scaled, scaledAgain }, run =>
        {
            Assert.Equal(6, run.Count);
            Assert.All(run, f =>
            {
                Assert.Equal(416, f.Width);
                Assert.Equal(416.0 / 768, f.Scale, 1e-6);
            });
        });
        Assert.Equal(Enumerable.Repeat((768, 1.0), 6), whole);
    }

    /// <summary>
    /// Without a refinement, each analysed frame's detections are final as soon as they are written, so the annotated
    /// video draws each frame on the decoded frame itself and never copies one to hold it.
    /// </summary>
    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Run_AnnotatedWithoutRefinement_DrawsEachFrameAsItsDetectionsAreWrittenAndHoldsNone()
    {
        var (pipeline, request) = TwoLanes(frames: 6);
        using var owned = pipeline;
        await using var video = new AnnotatedVideo(new FfmpegLocator((string?)null), request.OutputDirectory, 10);

        await RunOnceAsync(pipeline, request with { Frames = video.After(request.Frames) }, (kept, _, _) => [.. kept.Select(c => YoloTool.ToDetection(c, "person", null))], video);

        Assert.Equal(0, video.MostHeld);
        Assert.Equal(AnnotatedVideo.FileName, await video.CompleteAsync(CancellationToken.None));
        Assert.Equal(6, SampleClips.CountDecodedFrames(Path.Combine(request.OutputDirectory, AnnotatedVideo.FileName)));
    }

    /// <summary>A two-lane pipeline that decodes with ffmpeg, and a request for the first frames of vtest.</summary>
    private (DetectionPipeline Pipeline, ToolRequest Request) TwoLanes(int frames)
    {
        var clip = SampleClips.VtestCut(fixture.Temp.Combine(Guid.NewGuid().ToString("N")), frames);
        var pipeline = new DetectionPipeline(fixture.Sessions.Get(TestClips.ModelPath, "cpu"), Video.FfmpegFrameReaderTests.Ffmpeg, lanes: 2);
        return (pipeline, new ToolRequest(clip, "cpu", ToolOptions.Empty, new YoloToolTests.CollectingSink(), Path.GetDirectoryName(clip)!));
    }

    private static Task<ToolRunSummary> RunOnceAsync(DetectionPipeline pipeline, ToolRequest request, DetectionPostProcessor postProcess, AnnotatedVideo? video = null) =>
        pipeline.RunAsync(request, new FrameSelection(), new DetectionSettings(0.3f, 0.45f, 0), postProcess, video, new SyncProgress(_ => { }), CancellationToken.None);

    private static double Iou(DetectedObject a, DetectedObject b)
    {
        var w = Math.Max(0, Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1));
        var h = Math.Max(0, Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1));
        var inter = w * h;
        return inter / (((a.X2 - a.X1) * (a.Y2 - a.Y1)) + ((b.X2 - b.X1) * (b.Y2 - b.Y1)) - inter);
    }

    private async Task<List<FrameDetections>> DetectAsync(string clip, bool ffmpeg, int lanes = 1, Action<int>? onFrame = null)
    {
        var session = fixture.Sessions.Get(TestClips.ModelPath, "cpu");
        using var pipeline = new DetectionPipeline(session, ffmpeg ? Video.FfmpegFrameReaderTests.Ffmpeg : null, lanes);
        var sink = new YoloToolTests.CollectingSink();
        var request = new ToolRequest(clip, "cpu", ToolOptions.Empty, sink, Path.GetDirectoryName(clip)!);
        await pipeline.RunAsync(
            request,
            new FrameSelection(),
            new DetectionSettings(0.3f, 0.45f, 0),
            (kept, index, _) =>
            {
                onFrame?.Invoke(index);
                return [.. kept.Select(c => YoloTool.ToDetection(c, "person", null))];
            },
            video: null,
            new SyncProgress(_ => { }),
            CancellationToken.None);
        return [.. sink.Frames];
    }

    private async Task<(ToolRunSummary Summary, List<FrameProgress> Reports)> RunAsync(string clip, bool ffmpeg, string? ffmpegPath = null)
    {
        var session = fixture.Sessions.Get(TestClips.ModelPath, "cpu");
        using var pipeline = new DetectionPipeline(session, ffmpeg ? ffmpegPath ?? Video.FfmpegFrameReaderTests.Ffmpeg : null);
        var reports = new List<FrameProgress>();
        var request = new ToolRequest(clip, "cpu", ToolOptions.Empty, new YoloToolTests.CollectingSink(), Path.GetDirectoryName(clip)!);
        var summary = await pipeline.RunAsync(
            request, new FrameSelection(), new DetectionSettings(0.3f, 0.45f, 0), (kept, _, _) => [], video: null, new SyncProgress(reports.Add), CancellationToken.None);
        return (summary, reports);
    }
}
