using OpenCvSharp;

namespace VideoTracker.Tests.Support;

/// <summary>
/// A test plugin that is its own single tool: it runs <see cref="Analyse"/> on every frame through the real frame
/// loop, so a browser test gets boxes at pixels it knows. A plugin gives its names and its boxes; one that writes
/// more than the frames (a track table) overrides <see cref="RunAsync"/>. It takes <c>max_frames</c>, as the real tools do.
/// </summary>
public abstract class AnalyserPlugin(string pluginId, string toolId, string title, string description) : IVideoPlugin, IVideoTool, IFrameAnalyser
{
    public string Id => pluginId;

    public string Title => title;

    public string Version => "0.0.1";

    public string Description => description;

    public IReadOnlyList<IVideoTool> Tools => [this];

    public ToolManifest Manifest { get; } = new(toolId, title, description, [ToolManifest.VideoInput], [VideoTracker.Core.OpenCvClassic.CommonInputs.MaxFrames]);

    public ToolAvailability GetAvailability() => ToolAvailability.Yes;

    public virtual Task<ToolRunSummary> RunAsync(ToolRequest request, IProgress<FrameProgress> progress, CancellationToken cancellationToken) =>
        FrameLoop.RunAsync(request, FrameSelection.From(request.Options), this, progress, cancellationToken);

    public abstract IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex);
}
