namespace VideoTracker.Core.Tracking;

/// <summary>
/// What happens to a tracker's output before it is written: gaps filled by linear interpolation, and tracks that end with
/// fewer boxes than a minimum dropped. Both need to see ahead, so frames are held back:
/// <list type="bullet">
/// <item>for <c>maxGap</c> analysed frames, so that a gap can still be filled in them;</item>
/// <item>with a minimum length, until every track with a box in the frame is decided: it has reached the minimum (kept), or
/// it has ended short of it (dropped), ended meaning unseen for more than <c>lostFrames</c> analysed frames, after
/// which the tracker never shows it again. So a box is kept exactly when its whole track has at least the minimum.</item>
/// </list>
/// A frame is never held more than <see cref="HoldLimit"/> analysed frames: a track still undecided when a frame of it
/// reaches that limit (one that keeps coming back without reaching the minimum) is kept whole.
/// </summary>
public sealed class TrackRefiner
{
    private readonly LinkedList<(int Position, FrameDetections Frame)> _held = new();
    private readonly Dictionary<int, TrackState> _tracks = [];
    private readonly Dictionary<int, TrackState> _undecided = [];

    /// <summary>Scratch for <see cref="Decide"/>, reused so that a push allocates no list.</summary>
    private readonly List<int> _decided = [];
    private readonly int _maxGap;
    private readonly int _minLength;
    private readonly int _lostFrames;
    private int _position;

    /// <param name="maxGap">Longest gap, in analysed frames, filled by interpolation; 0 turns it off.</param>
    /// <param name="minLength">Tracks that end with fewer boxes (after interpolation) are dropped; 1 keeps all.</param>
    /// <param name="lostFrames">
    /// After how many analysed frames unseen a track has ended for good (the tracker's last chance to find it again).
    /// Used only with a minimum length.
    /// </param>
    public TrackRefiner(int maxGap, int minLength, int lostFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(lostFrames);
        _maxGap = maxGap;
        _minLength = minLength;
        _lostFrames = lostFrames;
        HoldLimit = minLength <= 1 ? maxGap : Math.Max(maxGap, minLength + (2 * lostFrames));
    }

    /// <summary>The refiner of a run of <paramref name="tracker"/>: gaps up to its buffer filled when asked, tracks shorter than <paramref name="minLength"/> dropped.</summary>
    public static TrackRefiner For(ByteTrackerOptions tracker, bool interpolate, int minLength)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        return new TrackRefiner(interpolate ? tracker.MaxTimeLost : 0, minLength, tracker.FramesUntilGone);
    }

    /// <summary>The most analysed frames a frame is held back (<c>maxGap</c> without a minimum length).</summary>
    public int HoldLimit { get; }

    /// <summary>Adds the next analysed frame; returns the frames that are final now, in order.</summary>
    public IReadOnlyList<FrameDetections> Push(FrameDetections frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var position = _position++;
        var node = _held.AddLast((position, frame with { Detections = [.. frame.Detections] }));
        foreach (var d in frame.Detections)
        {
            if (d.TrackId is not { } id)
            {
                continue;
            }

            if (!_tracks.TryGetValue(id, out var track))
            {
                track = new TrackState();
                _tracks[id] = track;
                _undecided[id] = track;
            }
            else if (_maxGap > 0 && position - track.LastPosition > 1 && position - track.LastPosition - 1 <= _maxGap)
            {
                FillGap(node, id, track, position, d);
            }

            track.LastPosition = position;
            track.LastBox = d;
            track.Length++;
        }

        Decide(position);
        var ready = new List<FrameDetections>();
        while (_held.First is { } first && position - first.Value.Position >= _maxGap && (IsDecided(first.Value.Frame) || position - first.Value.Position >= HoldLimit))
        {
            ready.Add(Release());
        }

        return ready;
    }

    /// <summary>The frames still held, at the end of the run: every track has ended there.</summary>
    public IReadOnlyList<FrameDetections> Complete()
    {
        Decide(int.MaxValue);
        var ready = new List<FrameDetections>(_held.Count);
        while (_held.Count > 0)
        {
            ready.Add(Release());
        }

        return ready;
    }

    /// <summary>Decides the tracks that have reached the minimum length, or ended short of it by <paramref name="position"/>.</summary>
    private void Decide(int position)
    {
        foreach (var (id, track) in _undecided)
        {
            if (track.Length >= _minLength)
            {
                track.Keep = true;
            }
            else if (position - track.LastPosition > _lostFrames)
            {
                track.Keep = false;
            }
            else
            {
                continue;
            }

            _decided.Add(id);
        }

        foreach (var id in _decided)
        {
            _undecided.Remove(id);
        }

        _decided.Clear();
    }

    /// <summary>Whether every track with a box in <paramref name="frame"/> is decided (an indexed loop: no enumerator, no closure).</summary>
    private bool IsDecided(FrameDetections frame)
    {
        var detections = frame.Detections;
        for (var i = 0; i < detections.Count; i++)
        {
            if (detections[i].TrackId is { } id && _tracks[id].Keep is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Releases the oldest frame; a track still undecided then (held to the limit) is kept whole.</summary>
    private FrameDetections Release()
    {
        var frame = _held.First!.Value.Frame;
        _held.RemoveFirst();
        if (_minLength <= 1)
        {
            return frame;
        }

        foreach (var d in frame.Detections)
        {
            if (d.TrackId is { } id && _tracks[id].Keep is null)
            {
                _tracks[id].Keep = true;
                _undecided.Remove(id);
            }
        }

        return frame with { Detections = [.. frame.Detections.Where(d => d.TrackId is not { } id || _tracks[id].Keep == true)] };
    }

    /// <summary>Adds boxes between the track's last box and this one to the held frames in between.</summary>
    private static void FillGap(LinkedListNode<(int Position, FrameDetections Frame)> current, int id, TrackState track, int toPosition, DetectedObject to)
    {
        var (fromPosition, from) = (track.LastPosition, track.LastBox!);
        var node = current.Previous;
        for (var p = toPosition - 1; p > fromPosition && node is not null; p--, node = node.Previous)
        {
            var t = (float)(p - fromPosition) / (toPosition - fromPosition);
            var box = new DetectedObject(
                Lerp(from.X1, to.X1, t), Lerp(from.Y1, to.Y1, t), Lerp(from.X2, to.X2, t), Lerp(from.Y2, to.Y2, t),
                Math.Min(from.Confidence, to.Confidence), to.ClassId, to.ClassName, id, Interpolated: true);
            var frame = node.Value.Frame;
            node.Value = (node.Value.Position, frame with { Detections = [.. frame.Detections, box] });
            track.Length++;
        }
    }

    private static float Lerp(float a, float b, float t) => a + ((b - a) * t);

    private sealed class TrackState
    {
        public int LastPosition { get; set; }

        public DetectedObject? LastBox { get; set; }

        public int Length { get; set; }

        /// <summary>Null while undecided.</summary>
        public bool? Keep { get; set; }
    }
}
