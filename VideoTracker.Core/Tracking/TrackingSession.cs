using OpenCvSharp;
using VideoTracker.Core.Detection;

namespace VideoTracker.Core.Tracking;

/// <summary>
/// One tracking run: feeds each analysed frame's detections (down to the low threshold) to the tracker,
/// turns its confirmed tracks into the detections of the frame (clipped to the frame) and crops thumbnails from the decoded frame.
/// <see cref="Wrap"/> puts the refiner and the track table between the pipeline and the results.
/// With a <paramref name="cameraMotion"/> estimator (owned by the caller), each frame's camera motion is
/// estimated and given to the tracker.
/// </summary>
public sealed class TrackingSession(ByteTrackerOptions options, TrackRefiner refiner, string className, TrackTableBuilder table, CameraMotionEstimator? cameraMotion = null)
{
    private TrackerInput[] _inputs = new TrackerInput[64];

    public ByteTracker Tracker { get; } = new(options);

    /// <summary>A <see cref="DetectionPostProcessor"/>: tracks one frame's kept candidates.</summary>
    public IReadOnlyList<DetectedObject> Process(List<Candidate> kept, int frameIndex, DecodedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(kept);
        if (_inputs.Length < kept.Count)
        {
            _inputs = new TrackerInput[Math.Max(kept.Count, _inputs.Length * 2)];
        }

        for (var i = 0; i < kept.Count; i++)
        {
            var c = kept[i];
            _inputs[i] = new TrackerInput(c.X1, c.Y1, c.X2, c.Y2, c.Score);
        }

        var inputs = _inputs.AsSpan(0, kept.Count);
        var tracked = cameraMotion is null
            ? Tracker.Update(inputs)
            : Tracker.Update(inputs, cameraMotion.Estimate(frame.Pixels, inputs, frame.Scale));
        // The tracker's boxes are its Kalman estimates, which may reach past the frame; the results hold them clipped
        // to it, as the detections are (the tracker itself keeps its own state, as the reference does).
        var (width, height) = (frame.SourceWidth, frame.SourceHeight);
        var detections = new DetectedObject[tracked.Count];
        for (var i = 0; i < tracked.Count; i++)
        {
            var t = tracked[i];
            detections[i] = new DetectedObject(
                Clip(t.X1, width), Clip(t.Y1, height), Clip(t.X2, width), Clip(t.Y2, height), (float)t.Score, kept[t.DetectionIndex].ClassId, className, t.TrackId);
        }

        table.OfferCrops(detections, frame);
        return detections;
    }

    private static float Clip(double value, int size) => (float)Math.Clamp(value, 0, size);

    /// <summary>The sink the pipeline writes to: frames pass through the refiner and the track table to <paramref name="results"/>.</summary>
    public RefiningSink Wrap(IFrameSink results) => new(results, refiner, table);
}

/// <summary>Holds frames back as the refiner needs, records what is finally written in the track table.</summary>
public sealed class RefiningSink(IFrameSink results, TrackRefiner refiner, TrackTableBuilder table) : IFrameSink
{
    public async ValueTask WriteAsync(FrameDetections frame, CancellationToken cancellationToken)
    {
        foreach (var ready in refiner.Push(frame))
        {
            await WriteFinalAsync(ready, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the frames still held; call once the pipeline has finished.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        foreach (var ready in refiner.Complete())
        {
            await WriteFinalAsync(ready, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask WriteFinalAsync(FrameDetections frame, CancellationToken cancellationToken)
    {
        table.Add(frame.FrameIndex, frame.TimestampMs, frame.Detections);
        return results.WriteAsync(frame, cancellationToken);
    }
}
