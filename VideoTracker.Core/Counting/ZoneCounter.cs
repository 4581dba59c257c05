using System.Text.Json.Serialization;

namespace VideoTracker.Core.Counting;

/// <summary>One line of the event log: a confirmed crossing (<c>in</c>/<c>out</c>) or a polygon's <c>enter</c>/<c>exit</c>.</summary>
public sealed record ZoneEvent(
    int FrameIndex,
    double TimestampMs,
    int TrackId,
    string ClassName,
    string Zone,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? DwellMs = null);

/// <summary>
/// A zone's counts: <c>in</c>/<c>out</c> for a line; <c>entered</c>/<c>exited</c> and dwell for a polygon;
/// and the same per class under <c>by_class</c>.
/// </summary>
public sealed class ZoneCounts
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? In { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Out { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Entered { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Exited { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MeanDwellMs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MaxDwellMs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, ZoneCounts>? ByClass { get; set; }
}

/// <summary>
/// What counting produced over a whole run; <paramref name="DwellsMs"/> lists each polygon's dwell times
/// (exits, and tracks still inside at their last frame), shortest first, for histograms.
/// </summary>
public sealed record CountingReport(
    IReadOnlyList<ZoneEvent> Events, IReadOnlyDictionary<string, ZoneCounts> Counts, IReadOnlyDictionary<string, IReadOnlyList<double>> DwellsMs);

/// <summary>
/// Applies the counting rules (README, "Counting") to each analysed frame's tracked boxes, in frame order.
/// Lines: the anchor's side is the sign of <see cref="ZoneGeometry.Side"/>; a change of side counts only
/// when the anchor's step crosses the segment itself, and only once the track has stayed on the new side
/// for <see cref="CountingSettings.MinCrossingFrames"/> analysed frames; the event is stamped at the frame
/// it crossed. Polygons: the same confirmation for enter and exit; dwell runs from enter to exit, or, for a track
/// still inside at its end, to the end of its last analysed frame: the next analysed frame's time (at the run's last
/// frame, that frame's time plus the last interval between analysed frames). So n analysed frames inside dwell n
/// analysed-frame intervals either way, at any frame stride, in source timestamps.
/// </summary>
public sealed class ZoneCounter(CountingSettings settings)
{
    public const string In = "in";
    public const string Out = "out";
    public const string Enter = "enter";
    public const string Exit = "exit";

    private readonly Dictionary<int, TrackState> _tracks = [];
    private readonly List<ZoneEvent> _events = [];
    private readonly Dictionary<(string Zone, string Type), int> _running = [];
    private readonly List<TrackState> _seenThisFrame = [];
    private int _frame = -1;
    private double _frameMs;
    private double? _previousFrameMs;

    public CountingSettings Settings { get; } = settings;

    /// <summary>How many events of one type (<c>in</c>, <c>out</c>, <c>enter</c>, <c>exit</c>) one zone has confirmed so far (the running count while a run goes on).</summary>
    public int CountOf(string zone, string type) => _running.GetValueOrDefault((zone, type));

    /// <summary>Feeds one analysed frame; boxes without a track id are ignored.</summary>
    public void Add(int frameIndex, double timestampMs, IReadOnlyList<DetectedObject> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        Advance(frameIndex, timestampMs);
        foreach (var d in detections)
        {
            if (d.TrackId is { } id)
            {
                Step(frameIndex, timestampMs, id, d.ClassName, Settings.AnchorOf(d.X1, d.Y1, d.X2, d.Y2));
            }
        }
    }

    /// <summary>One track's anchor in the current analysed frame, through each zone's rule.</summary>
    private void Step(int frameIndex, double timestampMs, int trackId, string className, ZonePoint anchor)
    {
        if (!_tracks.TryGetValue(trackId, out var track))
        {
            track = new TrackState(Settings.Zones.Count);
            _tracks[trackId] = track;
        }

        if (track.LastFrame != frameIndex)
        {
            track.LastFrame = frameIndex;
            _seenThisFrame.Add(track);
        }

        for (var z = 0; z < Settings.Zones.Count; z++)
        {
            var zone = Settings.Zones[z];
            var state = track.Zones[z];
            var type = zone.Kind == ZoneKind.Line
                ? StepLine(zone, state, anchor, frameIndex, timestampMs)
                : StepPolygon(zone, state, anchor, frameIndex, timestampMs);
            if (type is null)
            {
                continue;
            }

            double? dwell = null;
            if (type == Enter)
            {
                state.EnteredMs = state.PendingMs;
            }
            else if (type == Exit)
            {
                dwell = Math.Round(state.PendingMs - state.EnteredMs, 3);
            }

            _events.Add(new ZoneEvent(state.PendingFrame, state.PendingMs, trackId, className, zone.Name, type, dwell));
            _running[(zone.Name, type)] = CountOf(zone.Name, type) + 1;
        }
    }

    /// <summary>
    /// A new analysed frame: the tracks seen on the one before end where it starts, unless seen again. Frames come in order;
    /// every analysed frame is fed (through <see cref="Add"/>, boxes or none).
    /// </summary>
    private void Advance(int frameIndex, double timestampMs)
    {
        if (frameIndex == _frame)
        {
            return;
        }

        foreach (var track in _seenThisFrame)
        {
            track.EndMs = timestampMs;
        }

        _seenThisFrame.Clear();
        _previousFrameMs = _frame < 0 ? null : _frameMs;
        _frame = frameIndex;
        _frameMs = timestampMs;
    }

    /// <summary>Returns the sorted event log and the counts; tracks still inside a polygon dwell until the end of their last frame.</summary>
    public CountingReport Complete()
    {
        var events = _events
            .OrderBy(e => e.FrameIndex)
            .ThenBy(e => e.TrackId)
            .ThenBy(e => ZoneIndex(e.Zone))
            .ToList();
        var dwells = Settings.Zones.ToDictionary(z => z.Name, _ => new List<(string Class, double Ms)>(), StringComparer.Ordinal);
        foreach (var e in events.Where(e => e.DwellMs is not null))
        {
            dwells[e.Zone].Add((e.ClassName, e.DwellMs!.Value));
        }

        var lastClass = events.GroupBy(e => (e.TrackId, e.Zone)).ToDictionary(g => g.Key, g => g.Last().ClassName);
        var endOfLastFrame = _frameMs + (_frameMs - (_previousFrameMs ?? _frameMs));
        foreach (var (trackId, track) in _tracks)
        {
            var endMs = track.LastFrame == _frame ? endOfLastFrame : track.EndMs;
            for (var z = 0; z < Settings.Zones.Count; z++)
            {
                if (Settings.Zones[z].Kind == ZoneKind.Polygon && track.Zones[z].Side > 0)
                {
                    var name = Settings.Zones[z].Name;
                    dwells[name].Add((lastClass[(trackId, name)], Math.Round(endMs - track.Zones[z].EnteredMs, 3)));
                }
            }
        }

        var counts = new Dictionary<string, ZoneCounts>(StringComparer.Ordinal);
        foreach (var zone in Settings.Zones)
        {
            var mine = events.Where(e => e.Zone == zone.Name).ToList();
            var total = Tally(zone, mine, dwells[zone.Name].Select(d => d.Ms));
            total.Type = zone.TypeName;
            total.ByClass = new SortedDictionary<string, ZoneCounts>(StringComparer.Ordinal);
            foreach (var className in mine.Select(e => e.ClassName).Distinct())
            {
                total.ByClass[className] = Tally(
                    zone, [.. mine.Where(e => e.ClassName == className)], dwells[zone.Name].Where(d => d.Class == className).Select(d => d.Ms));
            }

            counts[zone.Name] = total;
        }

        var dwellsMs = Settings.Zones.Where(z => z.Kind == ZoneKind.Polygon)
            .ToDictionary(z => z.Name, z => (IReadOnlyList<double>)[.. dwells[z.Name].Select(d => d.Ms).Order()], StringComparer.Ordinal);
        return new CountingReport(events, counts, dwellsMs);
    }

    private static ZoneCounts Tally(CountingZone zone, List<ZoneEvent> events, IEnumerable<double> dwells)
    {
        if (zone.Kind == ZoneKind.Line)
        {
            return new ZoneCounts { In = events.Count(e => e.Type == In), Out = events.Count(e => e.Type == Out) };
        }

        var list = dwells.ToList();
        return new ZoneCounts
        {
            Entered = events.Count(e => e.Type == Enter),
            Exited = events.Count(e => e.Type == Exit),
            MeanDwellMs = list.Count == 0 ? 0 : Math.Round(list.Average(), 1),
            MaxDwellMs = list.Count == 0 ? 0 : Math.Round(list.Max(), 1),
        };
    }

    private int ZoneIndex(string name)
    {
        for (var i = 0; i < Settings.Zones.Count; i++)
        {
            if (Settings.Zones[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>One step of a line's rule. Returns "in"/"out" when a crossing is confirmed at this step.</summary>
    private string? StepLine(CountingZone line, ZoneState state, ZonePoint p, int frameIndex, double timestampMs)
    {
        var a = line.Points[0];
        var b = line.Points[1];
        var side = Math.Sign(ZoneGeometry.Side(a, b, p));
        if (side == 0)
        {
            // On the line itself: on neither side, so it neither confirms nor cancels anything.
            return null;
        }

        if (!state.Seen)
        {
            state.Seen = true;
            state.Side = side;
            state.Last = p;
            return null;
        }

        if (state.PendingSide != 0)
        {
            if (side == state.PendingSide)
            {
                state.PendingCount++;
            }
            else
            {
                // Back on the old side before the crossing was confirmed: a flicker counts nothing.
                state.PendingSide = 0;
            }
        }
        else if (side != state.Side)
        {
            if (ZoneGeometry.SegmentsIntersect(state.Last, p, a, b))
            {
                state.PendingSide = side;
                state.PendingFrame = frameIndex;
                state.PendingMs = timestampMs;
                state.PendingCount = 1;
            }
            else
            {
                // Changed side beside the segment, not through it: nothing crossed the line.
                state.Side = side;
            }
        }

        state.Last = p;
        if (state.PendingSide != 0 && state.PendingCount >= Settings.MinCrossingFrames)
        {
            state.Side = state.PendingSide;
            state.PendingSide = 0;
            return state.Side > 0 ? In : Out;
        }

        return null;
    }

    /// <summary>One step of a polygon's rule (<see cref="ZoneState.Side"/>: 1 inside, −1 outside).</summary>
    private string? StepPolygon(CountingZone polygon, ZoneState state, ZonePoint p, int frameIndex, double timestampMs)
    {
        var side = ZoneGeometry.Contains(polygon.Points, p) ? 1 : -1;
        if (side == state.Side)
        {
            state.PendingSide = 0;
            return null;
        }

        if (state.PendingSide == 0)
        {
            state.PendingSide = side;
            state.PendingFrame = frameIndex;
            state.PendingMs = timestampMs;
            state.PendingCount = 0;
        }

        state.PendingCount++;
        if (state.PendingCount < Settings.MinCrossingFrames)
        {
            return null;
        }

        state.Side = side;
        state.PendingSide = 0;
        return side > 0 ? Enter : Exit;
    }

    private sealed class TrackState
    {
        public TrackState(int zones)
        {
            Zones = new ZoneState[zones];
            for (var i = 0; i < zones; i++)
            {
                Zones[i] = new ZoneState();
            }
        }

        public ZoneState[] Zones { get; }

        public int LastFrame { get; set; } = -1;

        /// <summary>When the track's last analysed frame ended: the next analysed frame's time, once there is one.</summary>
        public double EndMs { get; set; }
    }

    private sealed class ZoneState
    {
        public bool Seen { get; set; }

        /// <summary>Confirmed side: a line's sign, or 1 inside / −1 outside a polygon (outside before first seen).</summary>
        public int Side { get; set; } = -1;

        public ZonePoint Last { get; set; }

        public int PendingSide { get; set; }

        public int PendingFrame { get; set; }

        public double PendingMs { get; set; }

        public int PendingCount { get; set; }

        public double EnteredMs { get; set; }
    }
}
