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

    /// <summary>An unmatched detection starts a track only at or above this score (<c>track_thresh + 0.1</c>).</summary>
    public double NewTrackThreshold => TrackThreshold + 0.1;
}

/// <summary>One detection given to the tracker, in source pixels.</summary>
public readonly record struct TrackerInput(double X1, double Y1, double X2, double Y2, double Score);

/// <summary>A confirmed track in this frame: its filtered box, the score and index of the detection that updated it.</summary>
public readonly record struct TrackerOutput(int TrackId, double X1, double Y1, double X2, double Y2, double Score, int DetectionIndex);

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
public sealed class ByteTracker
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

    /// <summary>The tracks of <paramref name="a"/>, then those of <paramref name="b"/> whose id is not in <paramref name="a"/>.</summary>
    private static List<Track> Join(List<Track> a, List<Track> b)
    {
        var ids = new HashSet<int>(a.Count);
        var result = new List<Track>(a.Count + b.Count);
        foreach (var t in a)
        {
            ids.Add(t.TrackId);
            result.Add(t);
        }

        foreach (var t in b)
        {
            if (ids.Add(t.TrackId))
            {
                result.Add(t);
            }
        }

        return result;
    }

    private static List<Track> Subtract(List<Track> tracks, HashSet<int> ids)
    {
        var result = new List<Track>(tracks.Count);
        var seen = new HashSet<int>(tracks.Count);
        foreach (var t in tracks)
        {
            if (!ids.Contains(t.TrackId) && seen.Add(t.TrackId))
            {
                result.Add(t);
            }
        }

        return result;
    }

    /// <summary>A tracked and a lost track over the same box (IoU above 0.85): the one followed for less time goes.</summary>
    private static (List<Track> Tracked, List<Track> Lost) RemoveDuplicates(List<Track> tracked, List<Track> lost)
    {
        if (tracked.Count == 0 || lost.Count == 0)
        {
            return (tracked, lost);
        }

        var distance = IouDistance(tracked, lost);
        var dropTracked = new bool[tracked.Count];
        var dropLost = new bool[lost.Count];
        for (var p = 0; p < tracked.Count; p++)
        {
            for (var q = 0; q < lost.Count; q++)
            {
                if (distance[p, q] < 0.15)
                {
                    var timeP = tracked[p].FrameId - tracked[p].StartFrame;
                    var timeQ = lost[q].FrameId - lost[q].StartFrame;
                    if (timeP > timeQ)
                    {
                        dropLost[q] = true;
                    }
                    else
                    {
                        dropTracked[p] = true;
                    }
                }
            }
        }

        return ([.. tracked.Where((_, i) => !dropTracked[i])], [.. lost.Where((_, i) => !dropLost[i])]);
    }

    private static double[,] IouDistance(List<Track> a, List<Track> b)
    {
        var cost = new double[a.Count, b.Count];
        if (a.Count == 0 || b.Count == 0)
        {
            return cost;
        }

        var boxesB = new (double X1, double Y1, double X2, double Y2)[b.Count];
        for (var j = 0; j < b.Count; j++)
        {
            boxesB[j] = b[j].Box();
        }

        for (var i = 0; i < a.Count; i++)
        {
            var boxA = a[i].Box();
            for (var j = 0; j < b.Count; j++)
            {
                cost[i, j] = 1 - InclusiveIou(boxA, boxesB[j]);
            }
        }

        return cost;
    }

    /// <summary>IoU counting pixels inclusively (a box from x1 to x2 is x2 − x1 + 1 wide), as <c>cython_bbox</c> does.</summary>
    public static double InclusiveIou((double X1, double Y1, double X2, double Y2) a, (double X1, double Y1, double X2, double Y2) b)
    {
        var iw = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1) + 1;
        if (iw <= 0)
        {
            return 0;
        }

        var ih = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1) + 1;
        if (ih <= 0)
        {
            return 0;
        }

        var areaA = (a.X2 - a.X1 + 1) * (a.Y2 - a.Y1 + 1);
        var areaB = (b.X2 - b.X1 + 1) * (b.Y2 - b.Y1 + 1);
        var inter = iw * ih;
        return inter / (areaA + areaB - inter);
    }

    /// <summary>Cost 1 − IoU × score: a confident detection is a cheaper match.</summary>
    private static void FuseScore(double[,] cost, List<Track> detections)
    {
        for (var i = 0; i < cost.GetLength(0); i++)
        {
            for (var j = 0; j < cost.GetLength(1); j++)
            {
                cost[i, j] = 1 - ((1 - cost[i, j]) * detections[j].Score);
            }
        }
    }

    private enum TrackState
    {
        New,
        Tracked,
        Lost,
        Removed,
    }

    /// <summary>A track, or a detection that may become one (ByteTrack's <c>STrack</c> plays both roles).</summary>
    private sealed class Track
    {
        private readonly double[] _mean = new double[BoxKalmanFilter.StateSize];
        private readonly double[] _covariance = new double[BoxKalmanFilter.StateSize * BoxKalmanFilter.StateSize];
        private readonly double[] _savedMean = new double[BoxKalmanFilter.StateSize];
        private readonly double[] _savedCovariance = new double[BoxKalmanFilter.StateSize * BoxKalmanFilter.StateSize];
        private readonly double[] _lastObservation = new double[4];
        private bool _hasState;

        // Top-left x, y, width and height of the detection, used until the filter starts.
        private double _left;
        private double _top;
        private double _width;
        private double _height;

        public int TrackId { get; private set; }

        public TrackState State { get; set; } = TrackState.New;

        public bool IsActivated { get; private set; }

        public double Score { get; private set; }

        /// <summary>The last frame this track was matched in (ByteTrack's <c>frame_id</c> / <c>end_frame</c>).</summary>
        public int FrameId { get; private set; }

        public int StartFrame { get; private set; }

        /// <summary>The index, in this frame's input, of the detection this track was last matched to.</summary>
        public int DetectionIndex { get; private set; }

        public static Track FromDetection(in TrackerInput d, int index) => new()
        {
            _left = d.X1,
            _top = d.Y1,
            _width = d.X2 - d.X1,
            _height = d.Y2 - d.Y1,
            Score = d.Score,
            DetectionIndex = index,
        };

        public (double X1, double Y1, double X2, double Y2) Box()
        {
            if (!_hasState)
            {
                return (_left, _top, _left + _width, _top + _height);
            }

            var w = _mean[2] * _mean[3];
            var h = _mean[3];
            var x1 = _mean[0] - (w / 2);
            var y1 = _mean[1] - (h / 2);
            return (x1, y1, x1 + w, y1 + h);
        }

        public void Predict()
        {
            if (State != TrackState.Tracked)
            {
                _mean[7] = 0;
            }

            BoxKalmanFilter.Predict(_mean, _covariance);
        }

        public void Warp(in CameraMotion motion) => BoxKalmanFilter.Warp(_mean, _covariance, motion);

        public void Activate(int id, int frame)
        {
            TrackId = id;
            var observation = Measurement(this);
            BoxKalmanFilter.Initiate(observation, _mean, _covariance);
            Remember(observation);
            _hasState = true;
            State = TrackState.Tracked;
            IsActivated = frame == 1;
            FrameId = frame;
            StartFrame = frame;
        }

        public void Update(Track detection, int frame)
        {
            FrameId = frame;
            var observation = Measurement(detection);
            BoxKalmanFilter.Update(_mean, _covariance, observation);
            Remember(observation);
            State = TrackState.Tracked;
            IsActivated = true;
            Score = detection.Score;
            DetectionIndex = detection.DetectionIndex;
        }

        public void ReActivate(Track detection, int frame, bool reupdate)
        {
            var gap = frame - FrameId;
            if (!reupdate || gap <= 1)
            {
                Update(detection, frame);
                return;
            }

            // Back to the state at the last observation, then along a straight line to the new one.
            _savedMean.CopyTo(_mean, 0);
            _savedCovariance.CopyTo(_covariance, 0);
            var target = Measurement(detection);
            Span<double> step = stackalloc double[4];
            for (var k = 1; k < gap; k++)
            {
                for (var i = 0; i < 4; i++)
                {
                    step[i] = _lastObservation[i] + ((target[i] - _lastObservation[i]) * k / gap);
                }

                BoxKalmanFilter.Predict(_mean, _covariance);
                BoxKalmanFilter.Update(_mean, _covariance, step);
            }

            BoxKalmanFilter.Predict(_mean, _covariance);
            Update(detection, frame);
        }

        private void Remember(double[] observation)
        {
            _mean.CopyTo(_savedMean, 0);
            _covariance.CopyTo(_savedCovariance, 0);
            observation.CopyTo(_lastObservation, 0);
        }

        /// <summary>The detection's box as centre x, centre y, aspect and height.</summary>
        private static double[] Measurement(Track detection) =>
            [detection._left + (detection._width / 2), detection._top + (detection._height / 2), detection._width / detection._height, detection._height];
    }
}
