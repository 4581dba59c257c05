namespace VideoTracker.Core.Tracking;

/// <summary>Settings of <see cref="ByteTracker"/>; the defaults are ByteTrack's.</summary>
public sealed record ByteTrackerOptions
{
    /// <summary>Detections scoring above this take part in the first association (ByteTrack's <c>track_thresh</c>).</summary>
    public double TrackThreshold { get; init; } = 0.5;

    /// <summary>Detections scoring above this and below <see cref="TrackThreshold"/> may only continue tracks.</summary>
    public double LowThreshold { get; init; } = 0.1;

    /// <summary>The highest cost (1 − IoU × score) the first association accepts (<c>match_thresh</c>).</summary>
    public double MatchThreshold { get; init; } = 0.8;

    /// <summary>How long a lost track is kept, in frames at 30 fps (<c>track_buffer</c>); scaled by <see cref="FrameRate"/>.</summary>
    public int TrackBuffer { get; init; } = 30;

    /// <summary>Frames per second the tracker is fed (the clip's rate over the frame stride).</summary>
    public double FrameRate { get; init; } = 30;

    /// <summary>Weighs the IoU cost by the detection score in the first and third associations (off in ByteTrack's MOT20 mode).</summary>
    public bool FuseScore { get; init; } = true;

    /// <summary>
    /// OC-SORT's observation-centric re-update: a lost track found again re-runs its filter from its last
    /// observation along a straight virtual path to the new one, instead of one update after blind predictions.
    /// Off in the reference.
    /// </summary>
    public bool ObservationCentricReupdate { get; init; }

    /// <summary>Lost tracks are removed after this many frames without a match: <c>int(frame_rate / 30 × track_buffer)</c>.</summary>
    public int MaxTimeLost => (int)(FrameRate / 30.0 * TrackBuffer);

    /// <summary>
    /// After how many frames unseen a track is gone for good: one more than <see cref="MaxTimeLost"/>, since a track removed in
    /// a frame stays in the lost list, and can still be found again, in the next one (as in the reference).
    /// </summary>
    public int FramesUntilGone => MaxTimeLost + 1;

    /// <summary>An unmatched detection starts a track only at or above this score (<c>track_thresh + 0.1</c>).</summary>
    public double NewTrackThreshold => TrackThreshold + 0.1;
}

/// <summary>One detection given to the tracker, in source pixels.</summary>
public readonly record struct TrackerInput(double X1, double Y1, double X2, double Y2, double Score);

/// <summary>A confirmed track in this frame: its filtered box, the score and index of the detection that updated it.</summary>
public readonly record struct TrackerOutput(int TrackId, double X1, double Y1, double X2, double Y2, double Score, int DetectionIndex);
