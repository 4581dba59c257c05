using OpenCvSharp;

namespace VideoTracker.Core.Counting;

/// <summary>
/// What the annotated video draws for counting, frame by frame: each zone in its colour (<see cref="ZoneColors"/>),
/// each line's "in" arrow, the running counts (a count appears once the counting rules confirm it) and, with
/// the <c>trails</c> option, each visible track's last <c>trail_length</c> anchor points. The counts are read from the
/// job's own <see cref="ZoneCounter"/>, the one that writes the event log (<see cref="CountingSink.Counter"/>), so the counts
/// on the video are the event log's. That counter takes each analysed frame's final detections as they are written, and
/// <see cref="Detection.AnnotatedVideo"/> draws a frame when those detections are released to it, right after they are
/// written (<see cref="Detection.AnnotatedVideo.After"/>): frame N is drawn once the counter has taken frame N, and
/// before it takes the next analysed frame.
/// </summary>
public sealed class CountingOverlay(ZoneCounter counter)
{
    private readonly Dictionary<int, Queue<ZonePoint>> _trails = [];

    public CountingSettings Settings => counter.Settings;

    /// <summary>The counts so far, as the event log states them (at the end of a run, its final counts).</summary>
    public IReadOnlyDictionary<string, ZoneCounts> Counts() => counter.Complete().Counts;

    /// <summary>The running count of one zone's events of one type (<c>in</c>, <c>out</c>, <c>enter</c>, <c>exit</c>).</summary>
    public int CountOf(string zone, string type) => counter.CountOf(zone, type);

    /// <summary>Feeds an analysed frame's tracked boxes to the trails (the counter is fed by the job, not by the drawing).</summary>
    public void AddTrails(IReadOnlyList<DetectedObject> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        if (!Settings.Trails)
        {
            return;
        }

        var seen = new HashSet<int>();
        foreach (var d in detections)
        {
            if (d.TrackId is not { } id)
            {
                continue;
            }

            seen.Add(id);
            if (!_trails.TryGetValue(id, out var trail))
            {
                trail = new Queue<ZonePoint>();
                _trails[id] = trail;
            }

            trail.Enqueue(Settings.AnchorOf(d.X1, d.Y1, d.X2, d.Y2));
            while (trail.Count > Settings.TrailLength)
            {
                trail.Dequeue();
            }
        }

        // A track that is not in this frame shows no trail; one that comes back starts a new one.
        foreach (var gone in _trails.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            _trails.Remove(gone);
        }
    }

    /// <summary>Draws the zones, counts and trails onto <paramref name="frame"/> (BGR, in place).</summary>
    public void Draw(Mat frame, Func<int, Scalar> trackColour)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(trackColour);
        var thickness = Math.Max(2, (int)Math.Round(Math.Max(frame.Width, frame.Height) / 320.0));
        foreach (var (id, trail) in _trails)
        {
            if (trail.Count > 1)
            {
                Cv2.Polylines(frame, [trail.Select(ToPoint).ToArray()], false, trackColour(id), thickness, LineTypes.AntiAlias);
            }
        }

        for (var i = 0; i < Settings.Zones.Count; i++)
        {
            var zone = Settings.Zones[i];
            var (r, g, b) = ZoneColors.Rgb(i);
            var colour = new Scalar(b, g, r);
            var points = zone.Points.Select(ToPoint).ToArray();
            string label;
            if (zone.Kind == ZoneKind.Line)
            {
                Cv2.Line(frame, points[0], points[1], colour, thickness, LineTypes.AntiAlias);
                var (a, e) = (zone.Points[0], zone.Points[1]);
                var length = Math.Max(1e-9, Math.Sqrt(((e.X - a.X) * (e.X - a.X)) + ((e.Y - a.Y) * (e.Y - a.Y))));
                var middle = new ZonePoint((a.X + e.X) / 2, (a.Y + e.Y) / 2);
                var reach = 6 * thickness;
                var tip = new ZonePoint(middle.X - ((e.Y - a.Y) / length * reach), middle.Y + ((e.X - a.X) / length * reach));
                Cv2.ArrowedLine(frame, ToPoint(middle), ToPoint(tip), colour, thickness, LineTypes.AntiAlias, 0, 0.35);
                label = string.Create(CultureInfo.InvariantCulture, $"{zone.Name}: in {CountOf(zone.Name, ZoneCounter.In)} out {CountOf(zone.Name, ZoneCounter.Out)}");
            }
            else
            {
                Cv2.Polylines(frame, [points], true, colour, thickness, LineTypes.AntiAlias);
                var entered = CountOf(zone.Name, ZoneCounter.Enter);
                label = string.Create(CultureInfo.InvariantCulture, $"{zone.Name}: {entered - CountOf(zone.Name, ZoneCounter.Exit)} inside, {entered} entered");
            }

            Label(frame, label, points[0], colour);
        }
    }

    private static void Label(Mat frame, string text, Point at, Scalar colour)
    {
        var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, 0.5, 1, out var baseline);
        var left = Math.Clamp(at.X, 0, Math.Max(0, frame.Width - size.Width - 6));
        var top = Math.Clamp(at.Y + 4, 0, Math.Max(0, frame.Height - size.Height - baseline - 4));
        Cv2.Rectangle(frame, new Rect(left, top, size.Width + 6, size.Height + baseline + 4), Scalar.Black, -1);
        Cv2.PutText(frame, text, new Point(left + 3, top + size.Height + 2), HersheyFonts.HersheySimplex, 0.5, colour, 1, LineTypes.AntiAlias);
    }

    private static Point ToPoint(ZonePoint p) => new((int)Math.Round(p.X), (int)Math.Round(p.Y));
}
