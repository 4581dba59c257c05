using OpenCvSharp;

namespace VideoTracker.Tests.Support;

/// <summary>
/// Tools for queue and API tests (not detection tests): they decode the clip with the real frame loop
/// but let the test decide when each frame is analysed, or fail on purpose.
/// </summary>
public sealed class TestPlugin : IVideoPlugin
{
    public const string PluginId = "test";

    public GatedTool Gated { get; } = new();

    public string Id => PluginId;

    public string Title => "Test tools";

    public string Version => "0.0.1";

    public string Description => "Tools the tests control.";

    public IReadOnlyList<IVideoTool> Tools => [Gated, new ThrowingTool(), new ImageOnlyTool(), new UnavailableTool(), new SquaresClip.Tool(CountingScene.Squares)];

    /// <summary>Analyses a frame only when the test releases it.</summary>
    public sealed class GatedTool : IVideoTool
    {
        public SemaphoreSlim Gate { get; } = new(0);

        public ToolManifest Manifest { get; } = new("gated", "Gated", "Waits for the test before each frame.", [ToolManifest.VideoInput], [CommonInputsForTests.Stride]);

        public ToolAvailability GetAvailability() => ToolAvailability.Yes;

        public Task<ToolRunSummary> RunAsync(ToolRequest request, IProgress<FrameProgress> progress, CancellationToken cancellationToken) =>
            FrameLoop.RunAsync(request, FrameSelection.From(request.Options), new GateAnalyser(Gate, cancellationToken), progress, cancellationToken);

        private sealed class GateAnalyser(SemaphoreSlim gate, CancellationToken cancellationToken) : IFrameAnalyser
        {
            public IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex)
            {
                gate.Wait(cancellationToken);
                return [new DetectedObject(1, 2, 30, 40, 0.9f, 7, "thing", frameIndex % 2)];
            }
        }
    }

    /// <summary>Fails after three frames, like a tool with a bug.</summary>
    public sealed class ThrowingTool : IVideoTool
    {
        public ToolManifest Manifest { get; } = new("throws", "Throws", "Crashes on the third frame.", [ToolManifest.VideoInput], []);

        public ToolAvailability GetAvailability() => ToolAvailability.Yes;

        public async Task<ToolRunSummary> RunAsync(ToolRequest request, IProgress<FrameProgress> progress, CancellationToken cancellationToken)
        {
            for (var i = 1; i <= 3; i++)
            {
                progress.Report(new FrameProgress(i, 10));
                await Task.Yield();
            }

            throw new InvalidOperationException("/secret/server/path exploded");
        }
    }

    public sealed class ImageOnlyTool : IVideoTool
    {
        public ToolManifest Manifest { get; } = new("image_only", "Image only", "Takes images, not video.", ["image"], []);

        public ToolAvailability GetAvailability() => ToolAvailability.Yes;

        public Task<ToolRunSummary> RunAsync(ToolRequest request, IProgress<FrameProgress> progress, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    public sealed class UnavailableTool : IVideoTool
    {
        public ToolManifest Manifest { get; } = new("unavailable", "Unavailable", "Needs something this server lacks.", [ToolManifest.VideoInput], []);

        public ToolAvailability GetAvailability() => ToolAvailability.No("the widget model is not installed");

        public Task<ToolRunSummary> RunAsync(ToolRequest request, IProgress<FrameProgress> progress, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private static class CommonInputsForTests
    {
        public static ToolInput Stride => VideoTracker.Core.OpenCvClassic.CommonInputs.FrameStride;
    }
}
