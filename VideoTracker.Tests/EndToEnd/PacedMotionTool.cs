namespace VideoTracker.Tests.EndToEnd;

/// <summary>
/// The real motion-detection tool, paced: each decoded frame waits a little before it is reported, so a
/// small test clip runs for several 2-second polls and the browser can watch the progress rise.
/// </summary>
public sealed class PacedMotionTool(TimeSpan perFrame) : IOpenCvClassicTool
{
    private readonly MotionDetectionTool _inner = new();

    public ToolManifest Manifest => _inner.Manifest;

    public ToolAvailability GetAvailability() => _inner.GetAvailability();

    public Task<ToolRunSummary> RunAsync(ToolRequest request, IProgress<FrameProgress> progress, CancellationToken cancellationToken) =>
        _inner.RunAsync(request, new Paced(progress, perFrame), cancellationToken);

    private sealed class Paced(IProgress<FrameProgress> inner, TimeSpan perFrame) : IProgress<FrameProgress>
    {
        public void Report(FrameProgress value)
        {
            Thread.Sleep(perFrame);
            inner.Report(value);
        }
    }
}
