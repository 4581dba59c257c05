namespace VideoTracker.Core.Tracking;

/// <summary>The tracking tool's options beyond the detector's, declared once for the manifest and read once here.</summary>
public static class TrackingInputs
{
    public const string TrackBuffer = "track_buffer";
    public const string MatchThreshold = "match_thresh";
    public const string Interpolate = "interpolate";
    public const string MinTrackLength = "min_track_length";
    public const string Reupdate = "reupdate";
    public const string CameraMotion = "camera_motion";

    public static IReadOnlyList<ToolInput> All { get; } =
    [
        new(TrackBuffer, ToolInputType.WholeNumber, "Track buffer", "How long a lost track is kept before its id expires, in frames at 30 fps (scaled by the clip's rate, as ByteTrack does).", 30, 1, 10_000),
        new(MatchThreshold, ToolInputType.Number, "Match threshold", "The highest cost (1 − IoU × score) the first association accepts.", 0.8, 0.05, 1),
        new(Interpolate, ToolInputType.Boolean, "Fill gaps", "A track lost and found again within the buffer gets linearly interpolated boxes (marked interpolated: true) for the frames it missed.", true),
        new(Reupdate, ToolInputType.Boolean, "Re-update after occlusion", "OC-SORT's observation-centric re-update: when a lost track is found again, its Kalman filter is re-run along a straight path from its last box, so its velocity is not stale.", false),
        new(CameraMotion, ToolInputType.Boolean, "Camera-motion compensation", "For a moving camera (panning sports footage): estimates how the picture moved between frames (sparse optical flow on a downscaled grey frame, as BoT-SORT does) and moves the tracks' predictions with it. Off: no extra work per frame.", false),
        new(MinTrackLength, ToolInputType.WholeNumber, "Minimum track length", "Tracks with fewer boxes than this (after gap filling) are left out of the results. 1 keeps every track.", 1, 1, 1000),
    ];

    /// <summary>The tracking options of a job, read once at the start of its run.</summary>
    public static TrackingSettings Read(ToolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TrackingSettings(
            options.WholeNumber(TrackBuffer),
            options.Number(MatchThreshold),
            options.Flag(Interpolate),
            options.Flag(Reupdate),
            options.Flag(CameraMotion),
            options.WholeNumber(MinTrackLength));
    }
}

/// <summary>A job's tracking options (<see cref="TrackingInputs"/>), typed.</summary>
public sealed record TrackingSettings(
    int TrackBuffer,
    double MatchThreshold,
    bool Interpolate,
    bool Reupdate,
    bool CameraMotion,
    int MinTrackLength)
{
    /// <summary>The tracker's options, at <paramref name="frameRate"/> analysed frames a second.</summary>
    public ByteTrackerOptions Tracker(double trackThreshold, double frameRate) => new()
    {
        TrackThreshold = trackThreshold,
        TrackBuffer = TrackBuffer,
        MatchThreshold = MatchThreshold,
        FrameRate = frameRate,
        ObservationCentricReupdate = Reupdate,
    };

    /// <summary>The camera-motion estimator the job asks for, or null when compensation is off (no work at all per frame).</summary>
    public CameraMotionEstimator? CameraMotionEstimator() => CameraMotion ? new CameraMotionEstimator() : null;
}
