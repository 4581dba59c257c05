namespace VideoTracker.Core.Detectors;

/// <summary>Thresholds of <see cref="ByteTracker"/>. IoU thresholds are the least overlap that counts as a match.</summary>
public sealed record ByteTrackerOptions
{
    /// <summary>Detections at or above this score take part in the first association.</summary>
    public float HighThreshold { get; init; } = 0.5f;

    /// <summary>Detections between this and <see cref="HighThreshold"/> may only continue existing tracks (second association).</summary>
    public float LowThreshold { get; init; } = 0.1f;

    /// <summary>An unmatched high detection starts a new track only at or above this score.</summary>
    public float NewTrackThreshold { get; init; } = 0.6f;

    /// <summary>First association: tracked and lost tracks against high detections.</summary>
    public float HighMatchIou { get; init; } = 0.2f;

    /// <summary>Second association: still-tracked tracks against low detections.</summary>
    public float LowMatchIou { get; init; } = 0.5f;

    /// <summary>Unconfirmed (one-frame) tracks against the high detections left over.</summary>
    public float UnconfirmedMatchIou { get; init; } = 0.3f;

    /// <summary>A lost track is kept (and can be found again) for this many analysed frames.</summary>
    public int TrackBuffer { get; init; } = 30;
}

/// <summary>A detection the tracker has given an id.</summary>
public readonly record struct TrackedBox(int TrackId, Candidate Box);

/// <summary>
/// A multi-object tracker in the ByteTrack style, one instance per job. Each frame, tracks are predicted
/// with a constant-velocity model, then associated by IoU in two stages: first with the high-score
/// detections, then the tracks still unmatched with the low-score ones, which keeps objects through
/// occlusion-blurred frames. New tracks need a confirming second frame (except on the first frame), and
/// a lost track expires after <see cref="ByteTrackerOptions.TrackBuffer"/> frames. Matching is greedy by
/// highest IoU.
/// </summary>
public sealed class ByteTracker(ByteTrackerOptions options)
{
    private readonly List<Track> _tracked = [];
    private readonly List<Track> _lost = [];
    private readonly List<Track> _unconfirmed = [];
    private readonly List<(float Iou, int Track, int Detection)> _pairs = [];
    private int _frame;
    private int _nextId = 1;

    public ByteTrackerOptions Options => options;

    /// <summary>Tracks currently followed or lost but not expired.</summary>
    public int LiveTracks => _tracked.Count + _lost.Count;

    /// <summary>Feeds one analysed frame's detections; returns those that belong to a confirmed track, with its id.</summary>
    public IReadOnlyList<TrackedBox> Update(IReadOnlyList<Candidate> detections)
    {
        _frame++;
        var high = new List<Candidate>();
        var low = new List<Candidate>();
        foreach (var d in detections)
        {
            if (d.Score >= options.HighThreshold)
            {
                high.Add(d);
            }
            else if (d.Score >= options.LowThreshold)
            {
                low.Add(d);
            }
        }

        var output = new List<TrackedBox>();

        // Stage 1: tracked and lost tracks against high-score detections.
        var pool = new List<Track>(_tracked.Count + _lost.Count);
        pool.AddRange(_tracked);
        pool.AddRange(_lost);
        var highUsed = new bool[high.Count];
        var poolUsed = new bool[pool.Count];
        foreach (var (t, d) in Match(pool, poolUsed, high, highUsed, options.HighMatchIou))
        {
            pool[t].Update(high[d], _frame);
            output.Add(new TrackedBox(pool[t].Id, high[d]));
        }

        // Stage 2: tracks that were being followed and are still unmatched, against low-score detections.
        var remaining = new List<Track>();
        for (var i = 0; i < pool.Count; i++)
        {
            if (!poolUsed[i] && !pool[i].IsLost)
            {
                remaining.Add(pool[i]);
            }
        }

        var remainingUsed = new bool[remaining.Count];
        foreach (var (t, d) in Match(remaining, remainingUsed, low, new bool[low.Count], options.LowMatchIou))
        {
            remaining[t].Update(low[d], _frame);
            output.Add(new TrackedBox(remaining[t].Id, low[d]));
        }

        for (var i = 0; i < remaining.Count; i++)
        {
            if (!remainingUsed[i])
            {
                remaining[i].MarkLost();
            }
        }

        // Stage 3: tracks seen once, against the high-score detections left.
        var unconfirmedUsed = new bool[_unconfirmed.Count];
        var confirmed = new List<Track>();
        foreach (var (t, d) in Match(_unconfirmed, unconfirmedUsed, high, highUsed, options.UnconfirmedMatchIou))
        {
            var track = _unconfirmed[t];
            track.Update(high[d], _frame);
            track.Confirm(_nextId++);
            confirmed.Add(track);
            output.Add(new TrackedBox(track.Id, high[d]));
        }

        // Stage 4: confident detections nobody claimed start tracks (confirmed at once on the first frame).
        var newTracks = new List<Track>();
        for (var d = 0; d < high.Count; d++)
        {
            if (highUsed[d] || high[d].Score < options.NewTrackThreshold)
            {
                continue;
            }

            var track = new Track(high[d], _frame);
            if (_frame == 1)
            {
                track.Confirm(_nextId++);
                output.Add(new TrackedBox(track.Id, high[d]));
            }

            newTracks.Add(track);
        }

        // Book-keeping: re-sort tracks by state and expire lost tracks past the buffer.
        var all = new List<Track>(_tracked.Count + _lost.Count + confirmed.Count + newTracks.Count);
        all.AddRange(_tracked);
        all.AddRange(_lost);
        all.AddRange(confirmed);
        _tracked.Clear();
        _lost.Clear();
        _unconfirmed.Clear();
        foreach (var track in all)
        {
            if (!track.IsLost)
            {
                _tracked.Add(track);
            }
            else if (_frame - track.LastFrame <= options.TrackBuffer)
            {
                _lost.Add(track);
            }
        }

        foreach (var track in newTracks)
        {
            (track.Id > 0 ? _tracked : _unconfirmed).Add(track);
        }

        return output;
    }

    /// <summary>Greedy one-to-one matching by highest IoU against each track's predicted box.</summary>
    private List<(int Track, int Detection)> Match(List<Track> tracks, bool[] trackUsed, List<Candidate> detections, bool[] detectionUsed, float minIou)
    {
        _pairs.Clear();
        for (var t = 0; t < tracks.Count; t++)
        {
            if (trackUsed[t])
            {
                continue;
            }

            var p = tracks[t].Predict(_frame);
            for (var d = 0; d < detections.Count; d++)
            {
                if (detectionUsed[d])
                {
                    continue;
                }

                var iou = Nms.IoU(p, detections[d]);
                if (iou >= minIou)
                {
                    _pairs.Add((iou, t, d));
                }
            }
        }

        _pairs.Sort(static (a, b) => b.Iou.CompareTo(a.Iou));
        var matches = new List<(int, int)>();
        foreach (var (_, t, d) in _pairs)
        {
            if (!trackUsed[t] && !detectionUsed[d])
            {
                trackUsed[t] = true;
                detectionUsed[d] = true;
                matches.Add((t, d));
            }
        }

        return matches;
    }

    private sealed class Track(Candidate first, int frame)
    {
        private float _cx = (first.X1 + first.X2) / 2;
        private float _cy = (first.Y1 + first.Y2) / 2;
        private float _w = first.X2 - first.X1;
        private float _h = first.Y2 - first.Y1;
        private float _vx;
        private float _vy;
        private int _hits = 1;

        public int Id { get; private set; }

        public int LastFrame { get; private set; } = frame;

        public bool IsLost { get; private set; }

        public void Confirm(int id) => Id = id;

        public void MarkLost() => IsLost = true;

        /// <summary>The box where the track is expected at <paramref name="frame"/>, moving at its smoothed velocity.</summary>
        public Candidate Predict(int frame)
        {
            var dt = frame - LastFrame;
            var cx = _cx + (_vx * dt);
            var cy = _cy + (_vy * dt);
            return new Candidate(cx - (_w / 2), cy - (_h / 2), cx + (_w / 2), cy + (_h / 2), 0, first.ClassId);
        }

        public void Update(Candidate d, int frame)
        {
            var cx = (d.X1 + d.X2) / 2;
            var cy = (d.Y1 + d.Y2) / 2;
            var dt = Math.Max(1, frame - LastFrame);
            var vx = (cx - _cx) / dt;
            var vy = (cy - _cy) / dt;
            _vx = _hits == 1 ? vx : (0.5f * _vx) + (0.5f * vx);
            _vy = _hits == 1 ? vy : (0.5f * _vy) + (0.5f * vy);
            _cx = cx;
            _cy = cy;
            _w = d.X2 - d.X1;
            _h = d.Y2 - d.Y1;
            _hits++;
            LastFrame = frame;
            IsLost = false;
        }
    }
}
