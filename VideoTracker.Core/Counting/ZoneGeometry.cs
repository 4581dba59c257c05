namespace VideoTracker.Core.Counting;

/// <summary>A point in source-video pixels (image coordinates: y grows downwards).</summary>
public readonly record struct ZonePoint(double X, double Y);

/// <summary>The plane geometry that the counting rules are written in.</summary>
public static class ZoneGeometry
{
    /// <summary>
    /// <c>s(P) = (Bx−Ax)·(Py−Ay) − (By−Ay)·(Px−Ax)</c>: positive on the line's "in" side, negative on its
    /// "out" side, zero on the line itself.
    /// </summary>
    public static double Side(ZonePoint a, ZonePoint b, ZonePoint p) =>
        ((b.X - a.X) * (p.Y - a.Y)) - ((b.Y - a.Y) * (p.X - a.X));

    /// <summary>Whether the closed segments PQ and AB share a point (touching counts).</summary>
    public static bool SegmentsIntersect(ZonePoint p, ZonePoint q, ZonePoint a, ZonePoint b)
    {
        var d1 = Math.Sign(Side(a, b, p));
        var d2 = Math.Sign(Side(a, b, q));
        var d3 = Math.Sign(Side(p, q, a));
        var d4 = Math.Sign(Side(p, q, b));
        if (d1 * d2 < 0 && d3 * d4 < 0)
        {
            return true;
        }

        return (d1 == 0 && OnSegment(a, b, p))
            || (d2 == 0 && OnSegment(a, b, q))
            || (d3 == 0 && OnSegment(p, q, a))
            || (d4 == 0 && OnSegment(p, q, b));
    }

    /// <summary>Whether <paramref name="p"/>, known to be collinear with AB, lies within AB's bounding box.</summary>
    private static bool OnSegment(ZonePoint a, ZonePoint b, ZonePoint p) =>
        p.X >= Math.Min(a.X, b.X) && p.X <= Math.Max(a.X, b.X) && p.Y >= Math.Min(a.Y, b.Y) && p.Y <= Math.Max(a.Y, b.Y);

    /// <summary>
    /// Whether <paramref name="p"/> is inside the polygon (concave ones too) or on its boundary: a point on any edge or
    /// vertex counts as inside, the same on every edge, so a zone drawn along the frame's edge holds the anchors that lie
    /// on it. Elsewhere, the even–odd rule.
    /// </summary>
    public static bool Contains(IReadOnlyList<ZonePoint> polygon, ZonePoint p)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        var inside = false;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            var a = polygon[i];
            var b = polygon[j];
            if (Side(a, b, p) == 0 && OnSegment(a, b, p))
            {
                return true;
            }

            if ((a.Y > p.Y) != (b.Y > p.Y) && p.X < ((b.X - a.X) * (p.Y - a.Y) / (b.Y - a.Y)) + a.X)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    /// <summary>Whether two edges of the closed polygon that are not neighbours touch or cross.</summary>
    public static bool SelfIntersects(IReadOnlyList<ZonePoint> polygon)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        var n = polygon.Count;
        for (var i = 0; i < n; i++)
        {
            var a = polygon[i];
            var b = polygon[(i + 1) % n];
            for (var j = i + 1; j < n; j++)
            {
                var neighbours = j == i + 1 || (i == 0 && j == n - 1);
                if (neighbours)
                {
                    continue;
                }

                if (SegmentsIntersect(a, b, polygon[j], polygon[(j + 1) % n]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The polygon's area (shoelace formula), always positive.</summary>
    public static double Area(IReadOnlyList<ZonePoint> polygon)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        var twice = 0.0;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            twice += (polygon[j].X * polygon[i].Y) - (polygon[i].X * polygon[j].Y);
        }

        return Math.Abs(twice) / 2;
    }
}
