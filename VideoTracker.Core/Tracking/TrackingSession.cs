using OpenCvSharp;
using VideoTracker.Core.Detectors;
using VideoTracker.Core.Plugins;
using VideoTracker.Core.Video;

namespace VideoTracker.Core.Tracking;

/// <summary>The tracking tool's options beyond the detector's, declared once for the manifest and read once here.</summary>
public static class TrackingInputs
{
    public const string TrackBuffer = "track_buffer";
    public const string MatchThreshold = "match_thresh";

    public static IReadOnlyList<ToolInput> All { get; } =
    [
        new(TrackBuffer, ToolInputType.WholeNumber, "Track buffer", "How long a lost track is kept before its id expires, in frames at 30 fps (scaled by the clip's rate, as ByteTrack does).", 30, 1, 10_000),
        new(MatchThreshold, ToolInputType.Number, "Match threshold", "The highest cost (1 − IoU × score) the first association accepts.", 0.8, 0.05, 1),
    ];

    /// <summary>The tracker's options from a job's options, at <paramref name="frameRate"/> analysed frames a second.</summary>
    public static ByteTrackerOptions Read(ToolOptions options, double trackThreshold, double frameRate)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ByteTrackerOptions
        {
            TrackThreshold = trackThreshold,
            TrackBuffer = options.GetInt(TrackBuffer, DefaultInt(TrackBuffer)),
            MatchThreshold = options.GetDouble(MatchThreshold, DefaultDouble(MatchThreshold)),
            FrameRate = frameRate,
        };
    }

    private static ToolInput Input(string name) => All.Single(i => i.Name == name);

    private static int DefaultInt(string name) => Convert.ToInt32(Input(name).Default, System.Globalization.CultureInfo.InvariantCulture);

    private static double DefaultDouble(string name) => Convert.ToDouble(Input(name).Default, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// One tracking run: feeds each analysed frame's detections (down to the low threshold) to the tracker,
/// turns its confirmed tracks into the detections written for the frame, and records the track table.
/// </summary>
public sealed class TrackingSession(ByteTrackerOptions options, string className, double clipFps, TrackTableBuilder table)
{
    private TrackerInput[] _inputs = new TrackerInput[64];

    public ByteTracker Tracker { get; } = new(options);

    /// <summary>A <see cref="DetectionPostProcessor"/>: tracks one frame's kept candidates.</summary>
    public IReadOnlyList<Detection> Process(List<Candidate> kept, int frameIndex, Mat frame)
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

        var tracked = Tracker.Update(_inputs.AsSpan(0, kept.Count));
        var detections = new Detection[tracked.Count];
        for (var i = 0; i < tracked.Count; i++)
        {
            var t = tracked[i];
            detections[i] = new Detection((float)t.X1, (float)t.Y1, (float)t.X2, (float)t.Y2, (float)t.Score, kept[t.DetectionIndex].ClassId, className, t.TrackId);
        }

        table.Add(frameIndex, FrameLoop.TimestampMs(frameIndex, clipFps), detections, frame);
        return detections;
    }
}
