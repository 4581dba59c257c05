namespace VideoTracker.Core.Plugins;

/// <summary>One box in source-video pixels.</summary>
public sealed record Detection(
    float X1,
    float Y1,
    float X2,
    float Y2,
    float Confidence,
    int ClassId,
    string ClassName,
    int? TrackId = null);

/// <summary>The detections of one analysed frame.</summary>
public sealed record FrameDetections(int FrameIndex, double TimestampMs, IReadOnlyList<Detection> Detections);

/// <summary>Receives analysed frames in order. Implementations stream them to disk.</summary>
public interface IFrameSink
{
    ValueTask WriteAsync(FrameDetections frame, CancellationToken cancellationToken);
}
