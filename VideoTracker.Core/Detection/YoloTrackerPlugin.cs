namespace VideoTracker.Core.Detection;

/// <summary>Detection and tracking with a YOLO-family ONNX model (YOLOX-Nano by default) on ONNX Runtime.</summary>
public sealed class YoloTrackerPlugin : IVideoPlugin
{
    public const string PluginId = "yolo-tracker";

    public YoloTrackerPlugin(DetectionModel model, DetectorSessions sessions, Video.FfmpegLocator ffmpeg, ILogger<YoloTrackerPlugin> logger)
    {
        Tools =
        [
            new YoloTool(YoloToolKind.PlayerDetection, model, sessions, ffmpeg, logger),
            new YoloTool(YoloToolKind.BallDetection, model, sessions, ffmpeg, logger),
            new YoloTool(YoloToolKind.PlayerTracking, model, sessions, ffmpeg, logger),
        ];
    }

    public string Id => PluginId;

    public string Title => "YOLO tracker";

    public string Version => "1.0.0";

    public string Description => "People and sports balls found by a YOLO model (YOLOX-Nano on ONNX Runtime), with ByteTrack-style tracking.";

    public IReadOnlyList<IVideoTool> Tools { get; }
}
