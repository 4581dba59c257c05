namespace VideoTracker.Core.Detection;

/// <summary>A scored box in source pixels, before suppression.</summary>
public readonly record struct Candidate(float X1, float Y1, float X2, float Y2, float Score, int ClassId)
{
    public float Area => Math.Max(0, X2 - X1) * Math.Max(0, Y2 - Y1);
}

/// <summary>Greedy non-maximum suppression, per class or across all classes.</summary>
public static class Nms
{
    public static float IoU(in Candidate a, in Candidate b) => IoU(a.X1, a.Y1, a.X2, a.Y2, b.X1, b.Y1, b.X2, b.Y2);

    public static float IoU(float ax1, float ay1, float ax2, float ay2, float bx1, float by1, float bx2, float by2)
    {
        var w = Math.Min(ax2, bx2) - Math.Max(ax1, bx1);
        var h = Math.Min(ay2, by2) - Math.Max(ay1, by1);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var inter = w * h;
        var union = (Math.Max(0, ax2 - ax1) * Math.Max(0, ay2 - ay1)) + (Math.Max(0, bx2 - bx1) * Math.Max(0, by2 - by1)) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /// <summary>
    /// Keeps the best box of each overlapping group: sorts <paramref name="candidates"/> by score (in place)
    /// and writes the kept ones to <paramref name="kept"/>. Boxes of different classes never suppress each
    /// other unless <paramref name="classAgnostic"/>.
    /// </summary>
    public static void Apply(List<Candidate> candidates, float iouThreshold, bool classAgnostic, List<Candidate> kept)
    {
        kept.Clear();
        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        foreach (var c in candidates)
        {
            var suppressed = false;
            foreach (var k in kept)
            {
                if ((classAgnostic || k.ClassId == c.ClassId) && IoU(k, c) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }

            if (!suppressed)
            {
                kept.Add(c);
            }
        }
    }
}
