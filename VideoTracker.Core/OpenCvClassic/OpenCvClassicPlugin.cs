namespace VideoTracker.Core.OpenCvClassic;

/// <summary>Tools built on classic OpenCV algorithms. They need no model file.</summary>
public sealed class OpenCvClassicPlugin(IEnumerable<IOpenCvClassicTool> tools) : IVideoPlugin
{
    public const string PluginId = "opencv-classic";

    public string Id => PluginId;

    public string Title => "OpenCV classic";

    public string Version => "1.0.0";

    public string Description => "Classic computer-vision tools that need no model: motion and people detection.";

    public IReadOnlyList<IVideoTool> Tools { get; } = [.. tools];
}

/// <summary>Marks a tool that belongs to the opencv-classic plugin.</summary>
public interface IOpenCvClassicTool : IVideoTool;
