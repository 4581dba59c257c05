using VideoTracker.Core.Detection;
using VideoTracker.Core.Plugins;
using VideoTracker.Core.Progress;
using VideoTracker.Core.Video;
using VideoTracker.Tests.Support;
using VideoTracker.Tests.Video;

namespace VideoTracker.Tests.Detection;

/// <summary>The pipelined detection loop keeps the frame loop's promises about counts and failures.</summary>
public sealed class DetectionPipelineTests(ModelFixture fixture) : IClassFixture<ModelFixture>
{
    [SharedAssetFact(SharedAsset.Model)]
    public async Task Run_HeaderClaimsMoreFramesThanDecode_ReportsTheRealCountAndEndsEarly()
    {
        var clip = TestClips.MovingSquare(fixture.Temp.Combine(Guid.NewGuid().ToString("N")), frames: 20);
        TestClips.SetAviHeaderFrameCount(clip, 60);

        var (summary, reports) = await RunAsync(clip);

        Assert.Equal((20, 20, 60), (summary.TotalFrames, summary.ProcessedFrames, summary.HeaderFrameCount));
        Assert.True(summary.DecodingEndedEarly);
        Assert.Equal(20, reports[^1].CurrentFrame);
        Assert.All(reports, r => Assert.Equal(60, r.TotalFrames));
    }

    [SharedAssetFact(SharedAsset.Model)]
    public async Task Run_HeaderClaimsFewerFramesThanDecode_KeepsGoingAndNeverShows100()
    {
        var clip = TestClips.MovingSquare(fixture.Temp.Combine(Guid.NewGuid().ToString("N")), frames: 30);
        TestClips.SetAviHeaderFrameCount(clip, 10);

        var (summary, reports) = await RunAsync(clip);

        Assert.Equal(30, summary.TotalFrames);
        Assert.False(summary.DecodingEndedEarly);
        Assert.Equal(Enumerable.Range(0, 31), reports.Select(r => r.CurrentFrame));
        Assert.All(reports, r => Assert.InRange(r.RunningPercent, 0, 99));
    }

    [SharedAssetFact(SharedAsset.Model)]
    public async Task Run_ContainerOpensButNoFrameDecodes_FailsWithAReadableError()
    {
        var clip = TestClips.MovingSquare(fixture.Temp.Combine(Guid.NewGuid().ToString("N")), frames: 30);
        var bytes = File.ReadAllBytes(clip);
        var movi = bytes.AsSpan().IndexOf("movi"u8);
        bytes.AsSpan(movi + 4).Clear();
        File.WriteAllBytes(clip, bytes);

        var error = await Assert.ThrowsAsync<VideoToolException>(() => RunAsync(clip));

        Assert.Contains("none of its frames could be decoded", error.Message, StringComparison.Ordinal);
    }

    private async Task<(ToolRunSummary Summary, List<FrameProgress> Reports)> RunAsync(string clip)
    {
        var session = fixture.Sessions.Get(TestClips.ModelPath, "cpu");
        using var pipeline = new DetectionPipeline(session);
        var reports = new List<FrameProgress>();
        var request = new ToolRequest(clip, "cpu", ToolOptions.Empty, new YoloToolTests.CollectingSink(), Path.GetDirectoryName(clip)!);
        var summary = await pipeline.RunAsync(
            request, new FrameSelection(), new DetectionSettings(0.3f, 0.45f, 0), (kept, _, _) => [], annotate: null, new SyncProgress(reports.Add), CancellationToken.None);
        return (summary, reports);
    }
}
