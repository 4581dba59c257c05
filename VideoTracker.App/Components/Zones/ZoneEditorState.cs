namespace VideoTracker.App.Components.Zones;

/// <summary>What a click on the frame does.</summary>
public enum ZoneDrawMode
{
    None,
    Line,
    Polygon,
}

/// <summary>One shape being edited: a line (A → B) or a polygon, in source-video pixels.</summary>
public sealed class ZoneDraft(string name, ZoneKind kind, IEnumerable<ZonePoint> points)
{
    public string Name { get; set; } = name;

    public ZoneKind Kind { get; } = kind;

    public List<ZonePoint> Points { get; } = [.. points];

    /// <summary>The points as the keyboard field shows them: <c>x,y x,y …</c>.</summary>
    public string PointsText => string.Join(' ', Points.Select(p => FormattableString.Invariant($"{p.X:0.##},{p.Y:0.##}")));
}

/// <summary>
/// The zone editor's state, apart from any drawing: the shapes, the shape being drawn and the frame they
/// live on. It reads and writes the <c>zones</c> option in the shape the server parses
/// (<see cref="CountingZone.ToJson"/>) and checks it with the server's own rules
/// (<see cref="CountingZone.ParseAll"/>).
/// </summary>
public sealed class ZoneEditorState
{
    /// <summary>A polygon closes when a click lands this close (in source pixels) to its first point.</summary>
    public const double CloseDistance = 8;

    private readonly List<ZoneDraft> _zones = [];
    private readonly List<ZonePoint> _pending = [];

    public IReadOnlyList<ZoneDraft> Zones => _zones;

    /// <summary>The points of the shape being drawn, not yet a zone.</summary>
    public IReadOnlyList<ZonePoint> Pending => _pending;

    public ZoneDrawMode Mode { get; private set; }

    /// <summary>The frame's size in source pixels; 0 until the first frame (or a size typed in) is known.</summary>
    public int Width { get; private set; }

    public int Height { get; private set; }

    public bool HasFrame => Width > 0 && Height > 0;

    public void SetFrame(int width, int height)
    {
        Width = Math.Max(0, width);
        Height = Math.Max(0, height);
    }

    /// <summary>Starts drawing a new line or polygon (or stops drawing), dropping any half-drawn shape.</summary>
    public void Begin(ZoneDrawMode mode)
    {
        Mode = mode;
        _pending.Clear();
    }

    /// <summary>A click on the frame at source pixels (x, y). Returns true when it completed a shape.</summary>
    public bool Click(double x, double y)
    {
        if (Mode == ZoneDrawMode.None || !HasFrame)
        {
            return false;
        }

        var point = Snap(x, y);
        if (_pending.Count > 0 && _pending[^1] == point)
        {
            return false; // the second click of a double-click
        }

        if (Mode == ZoneDrawMode.Line)
        {
            _pending.Add(point);
            if (_pending.Count == 2)
            {
                Add(ZoneKind.Line, _pending);
                return true;
            }

            return false;
        }

        if (_pending.Count >= 3 && Distance(point, _pending[0]) <= CloseDistance)
        {
            return ClosePolygon();
        }

        if (_pending.Count < CountingZone.MaxPolygonPoints)
        {
            _pending.Add(point);
        }

        return false;
    }

    /// <summary>A drag from one point to another draws a whole line at once.</summary>
    public bool Drag(double x1, double y1, double x2, double y2)
    {
        if (Mode != ZoneDrawMode.Line || !HasFrame)
        {
            return false;
        }

        _pending.Clear();
        var a = Snap(x1, y1);
        var b = Snap(x2, y2);
        if (a == b)
        {
            return false;
        }

        Add(ZoneKind.Line, [a, b]);
        return true;
    }

    /// <summary>A double-click closes the polygon being drawn (when it has 3 points or more).</summary>
    public bool DoubleClick() => Mode == ZoneDrawMode.Polygon && ClosePolygon();

    public bool ClosePolygon()
    {
        if (Mode != ZoneDrawMode.Polygon || _pending.Count < 3)
        {
            return false;
        }

        Add(ZoneKind.Polygon, _pending);
        return true;
    }

    public void Delete(ZoneDraft zone) => _zones.Remove(zone);

    /// <summary>Swaps a line's ends, so its "in" side becomes its "out" side.</summary>
    public static void Flip(ZoneDraft zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (zone.Kind == ZoneKind.Line)
        {
            zone.Points.Reverse();
        }
    }

    /// <summary>Sets a shape's points from typed text (<c>x,y x,y …</c>). Returns an error, or null when taken.</summary>
    public static string? SetPoints(ZoneDraft zone, string? text)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var points = new List<ZonePoint>();
        foreach (var pair in (text ?? string.Empty).Split([' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var xy = pair.Split(',');
            if (xy.Length != 2
                || !double.TryParse(xy[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                || !double.TryParse(xy[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
            {
                return $"'{pair}' is not a point; write each point as x,y with a space between points.";
            }

            points.Add(new ZonePoint(x, y));
        }

        zone.Points.Clear();
        zone.Points.AddRange(points);
        return null;
    }

    /// <summary>Adds a shape typed in by keyboard: a line across the middle, or a rectangle in the middle of the frame.</summary>
    public ZoneDraft AddDefault(ZoneKind kind)
    {
        var (w, h) = HasFrame ? (Width, Height) : (100, 100);
        IReadOnlyList<ZonePoint> points = kind == ZoneKind.Line
            ? [new(Math.Round(w * 0.25), Math.Round(h * 0.5)), new(Math.Round(w * 0.75), Math.Round(h * 0.5))]
            : [new(Math.Round(w * 0.25), Math.Round(h * 0.25)), new(Math.Round(w * 0.75), Math.Round(h * 0.25)), new(Math.Round(w * 0.75), Math.Round(h * 0.75)), new(Math.Round(w * 0.25), Math.Round(h * 0.75))];
        return Add(kind, points);
    }

    /// <summary>The <c>zones</c> option; empty when there is no zone.</summary>
    public string ToJson() => _zones.Count == 0
        ? string.Empty
        : CountingZone.ToJson(_zones.Select(z => new CountingZone(z.Name, z.Kind, z.Points)));

    /// <summary>What the server would answer about these zones (null when it would take them, or the frame is unknown).</summary>
    public string? Validate()
    {
        var json = ToJson();
        if (json.Length == 0 || !HasFrame)
        {
            return null;
        }

        CountingZone.ParseAll(json, Width, Height, out var error);
        return error;
    }

    /// <summary>
    /// Replaces the shapes with those of a <c>zones</c> option typed elsewhere. What cannot be read as a
    /// shape is skipped (the server names it at submit); returns false when the text is not a JSON array.
    /// </summary>
    public bool Load(string? json)
    {
        _zones.Clear();
        _pending.Clear();
        if (string.IsNullOrWhiteSpace(json))
        {
            return true;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (var element in doc.RootElement.EnumerateArray())
            {
                if (ReadShape(element) is { } zone)
                {
                    _zones.Add(zone);
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static ZoneDraft? ReadShape(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("points", out var points) || points.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        ZoneKind? kind = type.GetString() switch
        {
            "line" => ZoneKind.Line,
            "polygon" => ZoneKind.Polygon,
            _ => null,
        };
        var read = new List<ZonePoint>();
        foreach (var pair in points.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                || pair[0].ValueKind != JsonValueKind.Number || pair[1].ValueKind != JsonValueKind.Number)
            {
                return null;
            }

            read.Add(new ZonePoint(pair[0].GetDouble(), pair[1].GetDouble()));
        }

        return kind is { } k ? new ZoneDraft(name.GetString()!, k, read) : null;
    }

    private ZoneDraft Add(ZoneKind kind, IEnumerable<ZonePoint> points)
    {
        var zone = new ZoneDraft(NextName(kind), kind, points);
        _zones.Add(zone);
        _pending.Clear();
        return zone;
    }

    private string NextName(ZoneKind kind)
    {
        var stem = kind == ZoneKind.Line ? "line" : "zone";
        for (var i = 1; ; i++)
        {
            var name = FormattableString.Invariant($"{stem} {i}");
            if (_zones.All(z => z.Name != name))
            {
                return name;
            }
        }
    }

    /// <summary>Whole source pixels inside the frame (edges included), as the server requires.</summary>
    private ZonePoint Snap(double x, double y) =>
        new(Math.Clamp(Math.Round(x), 0, Width), Math.Clamp(Math.Round(y), 0, Height));

    private static double Distance(ZonePoint a, ZonePoint b) => Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
}
