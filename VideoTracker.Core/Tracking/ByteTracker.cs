namespace VideoTracker.Core.Tracking;

/// <summary>
/// ByteTrack (Zhang et al., ECCV 2022), following the official implementation step by step so that it
/// gives the same ids and boxes on the same input. Each frame:
/// <list type="number">
/// <item>confirmed tracked and lost tracks are predicted by their Kalman filters and matched to the
/// high-score detections, by optimal assignment on 1 − IoU × score with <see cref="ByteTrackerOptions.MatchThreshold"/>;</item>
/// <item>tracks still being followed but unmatched are matched to the low-score detections (IoU cost, 0.5);</item>
/// <item>tracks seen once (unconfirmed) are matched to the high-score detections left (0.7), or removed;</item>
/// <item>high detections still left start tracks above <see cref="ByteTrackerOptions.NewTrackThreshold"/>;
/// lost tracks past <see cref="ByteTrackerOptions.MaxTimeLost"/> are removed, and a tracked/lost pair
/// that overlaps (IoU over 0.85) keeps only the older track.</item>
/// </list>
/// IoU counts pixels inclusively (width = x2 − x1 + 1), as the reference's <c>cython_bbox</c> does.
/// One instance per job; not thread-safe.
/// </summary>
public sealed partial class ByteTracker
{
    private readonly ByteTrackerOptions _options;
    private List<Track> _tracked = [];
    private List<Track> _lost = [];
    private readonly HashSet<int> _removedIds = [];
    private int _frame;
    private int _lastId;

    public ByteTracker(ByteTrackerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public ByteTrackerOptions Options => _options;

    /// <summary>Tracks currently followed (confirmed or not) or lost but not expired.</summary>
    public int LiveTracks => _tracked.Count + _lost.Count;

    /// <summary>Feeds one frame's detections; returns the confirmed tracks of this frame.</summary>
    public IReadOnlyList<TrackerOutput> Update(ReadOnlySpan<TrackerInput> detections) => Update(detections, null);

    /// <summary>
    /// Feeds one frame's detections, with how the camera moved since the last frame when camera-motion
    /// compensation is on: the predicted tracks (and those seen once) are moved with the camera before
    /// matching, as in BoT-SORT. Returns the confirmed tracks of this frame.
    /// </summary>
    public IReadOnlyList<TrackerOutput> Update(ReadOnlySpan<TrackerInput> detections, CameraMotion? cameraMotion)
    {
        _frame++;
        var activated = new List<Track>();
        var refound = new List<Track>();
        var newlyLost = new List<Track>();
        var newlyRemoved = new List<Track>();

        var high = new List<Track>();
        var low = new List<Track>();
        for (var i = 0; i < detections.Length; i++)
        {
            var d = detections[i];
            if (d.Score > _options.TrackThreshold)
            {
                high.Add(Track.FromDetection(d, i));
            }
            else if (d.Score > _options.LowThreshold && d.Score < _options.TrackThreshold)
            {
                low.Add(Track.FromDetection(d, i));
            }
        }

        var unconfirmed = new List<Track>();
        var confirmed = new List<Track>();
        foreach (var t in _tracked)
        {
            (t.IsActivated ? confirmed : unconfirmed).Add(t);
        }

        // First association: confirmed tracked and lost tracks, predicted, against high-score detections.
        var pool = Join(confirmed, _lost);
        foreach (var t in pool)
        {
            t.Predict();
        }

        if (cameraMotion is { } motion)
        {
            foreach (var t in pool)
            {
                t.Warp(motion);
            }

            foreach (var t in unconfirmed)
            {
                t.Warp(motion);
            }
        }

        var cost = IouDistance(pool, high);
        if (_options.FuseScore)
        {
            FuseScore(cost, high);
        }

        var poolMatch = LinearAssignment.SolveWithLimit(cost, _options.MatchThreshold);
        var highUsed = new bool[high.Count];
        for (var i = 0; i < pool.Count; i++)
        {
            if (poolMatch[i] >= 0)
            {
                highUsed[poolMatch[i]] = true;
                Continue(pool[i], high[poolMatch[i]], activated, refound);
            }
        }

        // Second association: tracks followed until now and still unmatched, against low-score detections.
        var remaining = new List<Track>();
        for (var i = 0; i < pool.Count; i++)
        {
            if (poolMatch[i] < 0 && pool[i].State == TrackState.Tracked)
            {
                remaining.Add(pool[i]);
            }
        }

        var lowMatch = LinearAssignment.SolveWithLimit(IouDistance(remaining, low), 0.5);
        for (var i = 0; i < remaining.Count; i++)
        {
            if (lowMatch[i] >= 0)
            {
                Continue(remaining[i], low[lowMatch[i]], activated, refound);
            }
            else if (remaining[i].State != TrackState.Lost)
            {
                remaining[i].State = TrackState.Lost;
                newlyLost.Add(remaining[i]);
            }
        }

        // Third association: tracks seen once, against the high-score detections left.
        var leftover = new List<Track>();
        for (var d = 0; d < high.Count; d++)
        {
            if (!highUsed[d])
            {
                leftover.Add(high[d]);
            }
        }

        cost = IouDistance(unconfirmed, leftover);
        if (_options.FuseScore)
        {
            FuseScore(cost, leftover);
        }

        var unconfirmedMatch = LinearAssignment.SolveWithLimit(cost, 0.7);
        var leftoverUsed = new bool[leftover.Count];
        for (var i = 0; i < unconfirmed.Count; i++)
        {
            if (unconfirmedMatch[i] >= 0)
            {
                leftoverUsed[unconfirmedMatch[i]] = true;
                unconfirmed[i].Update(leftover[unconfirmedMatch[i]], _frame);
                activated.Add(unconfirmed[i]);
            }
            else
            {
                unconfirmed[i].State = TrackState.Removed;
                newlyRemoved.Add(unconfirmed[i]);
            }
        }

        // New tracks from the confident detections nobody claimed.
        for (var d = 0; d < leftover.Count; d++)
        {
            if (!leftoverUsed[d] && leftover[d].Score >= _options.NewTrackThreshold)
            {
                leftover[d].Activate(++_lastId, _frame);
                activated.Add(leftover[d]);
            }
        }

        // Lost tracks past the buffer are removed.
        foreach (var t in _lost)
        {
            if (_frame - t.FrameId > _options.MaxTimeLost)
            {
                t.State = TrackState.Removed;
                newlyRemoved.Add(t);
            }
        }

        // Book-keeping, in the reference's order: a track removed this frame leaves the lost list only on
        // the next frame (and can still be found again in between), as in the official code.
        var tracked = new List<Track>(_tracked.Count + activated.Count);
        foreach (var t in _tracked)
        {
            if (t.State == TrackState.Tracked)
            {
                tracked.Add(t);
            }
        }

        tracked = Join(Join(tracked, activated), refound);
        var trackedIds = new HashSet<int>(tracked.Count);
        foreach (var t in tracked)
        {
            trackedIds.Add(t.TrackId);
        }

        var lost = new List<Track>(_lost.Count + newlyLost.Count);
        foreach (var t in _lost)
        {
            if (!trackedIds.Contains(t.TrackId))
            {
                lost.Add(t);
            }
        }

        lost.AddRange(newlyLost);
        lost = Subtract(lost, _removedIds);
        foreach (var t in newlyRemoved)
        {
            _removedIds.Add(t.TrackId);
        }

        (_tracked, _lost) = RemoveDuplicates(tracked, lost);

        var output = new List<TrackerOutput>(_tracked.Count);
        foreach (var t in _tracked)
        {
            if (t.IsActivated)
            {
                var (x1, y1, x2, y2) = t.Box();
                output.Add(new TrackerOutput(t.TrackId, x1, y1, x2, y2, t.Score, t.DetectionIndex));
            }
        }

        return output;
    }

    private void Continue(Track track, Track detection, List<Track> activated, List<Track> refound)
    {
        if (track.State == TrackState.Tracked)
        {
            track.Update(detection, _frame);
            activated.Add(track);
        }
        else
        {
            track.ReActivate(detection, _frame, _options.ObservationCentricReupdate);
            refound.Add(track);
        }
    }
}
