using OpenCvSharp;

namespace VideoTracker.Tests.Video;

public sealed class FrameLoopTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task RunAsync_HeaderClaimsMoreFramesThanDecode_ReportsRealCountAndEndsEarly()
    {
        var clip = TestClips.MovingSquare(_temp.Path, frames: 20);
        TestClips.SetAviHeaderFrameCount(clip, 60);
        var probe = VideoProbe.TryProbe(clip, out _);
        Assert.Equal(60, probe!.HeaderFrameCount);

        var (summary, reports) = await RunAsync(clip);

        Assert.Equal(20, summary.TotalFrames);
        Assert.Equal(60, summary.HeaderFrameCount);
        Assert.True(summary.DecodingEndedEarly);
        Assert.Equal(20, reports[^1].CurrentFrame);
        Assert.All(reports, r => Assert.Equal(60, r.TotalFrames));
    }

    [Fact]
    public async Task RunAsync_HeaderClaimsFewerFramesThanDecode_KeepsGoingAndNeverShows100()
    {
        var clip = TestClips.MovingSquare(_temp.Path, frames: 30);
        TestClips.SetAviHeaderFrameCount(clip, 10);

        var (summary, reports) = await RunAsync(clip);

        Assert.Equal(30, summary.TotalFrames);
        Assert.False(summary.DecodingEndedEarly);
        Assert.All(reports, r => Assert.InRange(r.RunningPercent, 0, 99));
        Assert.Equal(30, reports[^1].CurrentFrame);
    }

    [Fact]
    public async Task RunAsync_WithStrideAndMaxFrames_AnalysesEveryNthButCountsEveryDecodedFrame()
    {
        var clip = TestClips.MovingSquare(_temp.Path, frames: 30);
        var analyser = new CountingAnalyser();

        var (summary, reports) = await RunAsync(clip, new FrameSelection(Stride: 4, MaxFrames: 21), analyser);

        Assert.Equal(21, summary.TotalFrames);
        Assert.Equal(6, summary.ProcessedFrames);
        Assert.Equal([0, 4, 8, 12, 16, 20], analyser.Frames);
        Assert.Equal(Enumerable.Range(0, 22), reports.Select(r => r.CurrentFrame));
        Assert.False(summary.DecodingEndedEarly);
    }

    [Fact]
    public async Task RunAsync_ContainerOpensButNoFrameDecodes_FailsWithReadableError()
    {
        var clip = TestClips.MovingSquare(_temp.Path, frames: 30);
        var bytes = File.ReadAllBytes(clip);
        var movi = bytes.AsSpan().IndexOf("movi"u8);
        bytes.AsSpan(movi + 4).Clear();
        File.WriteAllBytes(clip, bytes);

        var error = await Assert.ThrowsAsync<VideoToolException>(() => RunAsync(clip));

        Assert.Contains("none of its frames could be decoded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsBetweenFrames()
    {
        var clip = TestClips.MovingSquare(_temp.Path, frames: 30);
        using var cts = new CancellationTokenSource();
        var analyser = new CountingAnalyser { CancelAt = 5, Cancel = cts };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(clip, analyser: analyser, token: cts.Token));

        Assert.Equal(6, analyser.Frames.Count);
    }

    private async Task<(ToolRunSummary Summary, List<FrameProgress> Reports)> RunAsync(
        string clip, FrameSelection? selection = null, IFrameAnalyser? analyser = null, CancellationToken token = default)
    {
        var reports = new List<FrameProgress>();
        var writer = new FrameResultsWriter(_temp.Combine("results-" + Guid.NewGuid().ToString("N")));
        await using (writer)
        {
            var request = new ToolRequest(clip, "cpu", ToolOptions.Empty, writer, _temp.Path);
            var summary = await FrameLoop.RunAsync(request, selection ?? new FrameSelection(), analyser ?? new CountingAnalyser(), new SyncProgress(reports.Add), token);
            return (summary, reports);
        }
    }

    public void Dispose() => _temp.Dispose();

    private sealed class CountingAnalyser : IFrameAnalyser
    {
        public List<int> Frames { get; } = [];

        public int CancelAt { get; init; } = -1;

        public CancellationTokenSource? Cancel { get; init; }

        public IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex)
        {
            Frames.Add(frameIndex);
            if (frameIndex == CancelAt)
            {
                Cancel?.Cancel();
            }

            return [];
        }
    }
}

/// <summary>An IProgress that reports synchronously, unlike Progress&lt;T&gt;.</summary>
internal sealed class SyncProgress(Action<FrameProgress> report) : IProgress<FrameProgress>
{
    public void Report(FrameProgress value) => report(value);
}
