namespace VideoTracker.Core.Plugins;

/// <summary>One box in source-video pixels. <paramref name="Interpolated"/> marks a box a tracker filled in for a frame where its object was not detected.</summary>
public sealed record DetectedObject(
    float X1,
    float Y1,
    float X2,
    float Y2,
    float Confidence,
    int ClassId,
    string ClassName,
    int? TrackId = null,
    bool Interpolated = false);

/// <summary>The detections of one analysed frame.</summary>
public sealed record FrameDetections(int FrameIndex, double TimestampMs, IReadOnlyList<DetectedObject> Detections);

/// <summary>Receives analysed frames in order. Implementations stream them to disk.</summary>
public interface IFrameSink
{
    ValueTask WriteAsync(FrameDetections frame, CancellationToken cancellationToken);
}
