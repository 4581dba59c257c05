namespace VideoTracker.Core.Counting;

public enum ZoneKind
{
    Line,
    Polygon,
}

/// <summary>A named counting line (A → B; "in" is the side where <see cref="ZoneGeometry.Side"/> is positive) or polygon.</summary>
public sealed record CountingZone(string Name, ZoneKind Kind, IReadOnlyList<ZonePoint> Points)
{
    public const int MaxZones = 32;
    public const int MaxNameLength = 64;
    public const int MaxPolygonPoints = 64;

    public string TypeName => Kind == ZoneKind.Line ? "line" : "polygon";

    /// <summary>
    /// Parses the <c>zones</c> option and checks every rule against a frame of <paramref name="width"/> ×
    /// <paramref name="height"/>. Returns null and an error that names the zone when anything is wrong.
    /// </summary>
    public static IReadOnlyList<CountingZone>? ParseAll(string json, int width, int height, out string? error)
    {
        error = null;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            error = $"Option 'zones' is not valid JSON: {ex.Message}";
            return null;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                error = "Option 'zones' must be a JSON array of {\"name\", \"type\", \"points\"} objects.";
                return null;
            }

            var count = doc.RootElement.GetArrayLength();
            if (count > MaxZones)
            {
                error = $"Option 'zones' has {count} zones; at most {MaxZones} are allowed.";
                return null;
            }

            var zones = new List<CountingZone>(count);
            var names = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                index++;
                var zone = ParseOne(element, index, width, height, out error);
                if (zone is null)
                {
                    return null;
                }

                if (!names.Add(zone.Name))
                {
                    error = $"Zone '{zone.Name}': the name is used by another zone; names must be unique.";
                    return null;
                }

                zones.Add(zone);
            }

            return zones;
        }
    }

    private static CountingZone? ParseOne(JsonElement element, int index, int width, int height, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"Zone #{index}: must be an object with \"name\", \"type\" and \"points\".";
            return null;
        }

        var name = element.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null;
        if (name is null || name.Trim().Length == 0 || name.Length > MaxNameLength)
        {
            error = $"Zone #{index}: 'name' must be text of 1 to {MaxNameLength} characters.";
            return null;
        }

        var label = $"Zone '{name}'";
        var type = element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        ZoneKind kind;
        switch (type)
        {
            case "line":
                kind = ZoneKind.Line;
                break;
            case "polygon":
                kind = ZoneKind.Polygon;
                break;
            default:
                error = $"{label}: 'type' must be \"line\" or \"polygon\".";
                return null;
        }

        if (!element.TryGetProperty("points", out var p) || p.ValueKind != JsonValueKind.Array)
        {
            error = $"{label}: 'points' must be an array of [x, y] pairs.";
            return null;
        }

        var points = new List<ZonePoint>();
        foreach (var pair in p.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                || pair[0].ValueKind != JsonValueKind.Number || pair[1].ValueKind != JsonValueKind.Number)
            {
                error = $"{label}: 'points' must be an array of [x, y] pairs of numbers.";
                return null;
            }

            var point = new ZonePoint(pair[0].GetDouble(), pair[1].GetDouble());
            if (point.X < 0 || point.Y < 0 || point.X > width || point.Y > height)
            {
                var frame = width == CountingInputs.FrameNotKnown ? "the frame, whose pixels start at (0, 0)" : $"the {width}×{height} frame";
                error = $"{label}: the point ({Format(point.X)}, {Format(point.Y)}) lies outside {frame}.";
                return null;
            }

            points.Add(point);
        }

        if (kind == ZoneKind.Line)
        {
            if (points.Count != 2)
            {
                error = $"{label}: a line has exactly 2 points, not {points.Count}.";
                return null;
            }

            if (points[0] == points[1])
            {
                error = $"{label}: the line's two points are the same.";
                return null;
            }
        }
        else
        {
            if (points.Count is < 3 or > MaxPolygonPoints)
            {
                error = $"{label}: a polygon has 3 to {MaxPolygonPoints} points, not {points.Count}.";
                return null;
            }

            if (ZoneGeometry.SelfIntersects(points) || ZoneGeometry.Area(points) <= 0)
            {
                error = $"{label}: the polygon intersects itself.";
                return null;
            }
        }

        return new CountingZone(name, kind, points);
    }

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The zones as the option's JSON, for the UI's drawing.</summary>
    public static string ToJson(IEnumerable<CountingZone> zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        return JsonSerializer.Serialize(zones.Select(z => new
        {
            name = z.Name,
            type = z.TypeName,
            points = z.Points.Select(p => new[] { p.X, p.Y }),
        }));
    }
}
