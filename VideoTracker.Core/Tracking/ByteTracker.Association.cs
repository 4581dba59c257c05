namespace VideoTracker.Core.Tracking;

// The association steps' helpers: IoU costs, score fusion, and the reference's list operations on tracks.
public sealed partial class ByteTracker
{
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
}
