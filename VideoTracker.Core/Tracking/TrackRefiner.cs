namespace VideoTracker.Core.Tracking;

/// <summary>
/// What happens to a tracker's output before it is written: gaps filled by linear interpolation, and
/// tracks shorter than a minimum dropped. Both need to see a little ahead, so frames are held back for
/// <see cref="Delay"/> analysed frames (none when both are off).
/// </summary>
public sealed class TrackRefiner
{
    private readonly LinkedList<FrameDetections> _held = new();
    private readonly Dictionary<int, (int Position, DetectedObject Box)> _lastSeen = [];
    private readonly Dictionary<int, int> _lengths = [];
    private readonly int _maxGap;
    private readonly int _minLength;
    private int _position;

    /// <param name="maxGap">Longest gap, in analysed frames, filled by interpolation; 0 turns it off.</param>
    /// <param name="minLength">Tracks with fewer boxes (after interpolation) are dropped; 1 keeps all.</param>
    public TrackRefiner(int maxGap, int minLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, 1);
        _maxGap = maxGap;
        _minLength = minLength;
        Delay = Math.Max(maxGap, minLength - 1);
    }

    /// <summary>How many analysed frames are held back.</summary>
    public int Delay { get; }

    /// <summary>Adds the next analysed frame; returns the frames that are final now, in order.</summary>
    public IReadOnlyList<FrameDetections> Push(FrameDetections frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var position = _position++;
        var node = _held.AddLast(frame with { Detections = [.. frame.Detections] });
        foreach (var d in frame.Detections)
        {
            if (d.TrackId is not { } id)
            {
                continue;
            }

            if (_maxGap > 0 && _lastSeen.TryGetValue(id, out var last) && position - last.Position > 1 && position - last.Position - 1 <= _maxGap)
            {
                FillGap(node, id, last.Position, last.Box, position, d);
            }

            _lastSeen[id] = (position, d);
            _lengths[id] = _lengths.GetValueOrDefault(id) + 1;
        }

        var ready = new List<FrameDetections>();
        while (_held.Count > Delay)
        {
            ready.Add(Release());
        }

        return ready;
    }

    /// <summary>The frames still held, at the end of the run.</summary>
    public IReadOnlyList<FrameDetections> Complete()
    {
        var ready = new List<FrameDetections>(_held.Count);
        while (_held.Count > 0)
        {
            ready.Add(Release());
        }

        return ready;
    }

    private FrameDetections Release()
    {
        var frame = _held.First!.Value;
        _held.RemoveFirst();
        return _minLength <= 1
            ? frame
            : frame with { Detections = [.. frame.Detections.Where(d => d.TrackId is not { } id || _lengths.GetValueOrDefault(id) >= _minLength)] };
    }

    /// <summary>Adds boxes between the track's last box and this one to the held frames in between.</summary>
    private void FillGap(LinkedListNode<FrameDetections> current, int id, int fromPosition, DetectedObject from, int toPosition, DetectedObject to)
    {
        var node = current.Previous;
        for (var p = toPosition - 1; p > fromPosition && node is not null; p--, node = node.Previous)
        {
            var t = (float)(p - fromPosition) / (toPosition - fromPosition);
            var box = new DetectedObject(
                Lerp(from.X1, to.X1, t), Lerp(from.Y1, to.Y1, t), Lerp(from.X2, to.X2, t), Lerp(from.Y2, to.Y2, t),
                Math.Min(from.Confidence, to.Confidence), to.ClassId, to.ClassName, id, Interpolated: true);
            node.Value = node.Value with { Detections = [.. node.Value.Detections, box] };
            _lengths[id] = _lengths.GetValueOrDefault(id) + 1;
        }
    }

    private static float Lerp(float a, float b, float t) => a + ((b - a) * t);
}
