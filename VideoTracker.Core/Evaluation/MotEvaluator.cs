using VideoTracker.Core.Tracking;

namespace VideoTracker.Core.Evaluation;

/// <summary>CLEAR-MOT and identity figures of a tracker's output against ground truth.</summary>
public sealed record MotMetrics(
    double Mota,
    double Motp,
    double Idf1,
    double Idp,
    double Idr,
    double Precision,
    double Recall,
    int IdSwitches,
    int Fragmentations,
    int FalsePositives,
    int Misses,
    int MostlyTracked,
    int PartlyTracked,
    int MostlyLost,
    int GtIds,
    int HypIds,
    int GtBoxes,
    int HypBoxes);

/// <summary>
/// Scores hypotheses against ground truth with py-motmetrics' rules, frame by frame:
/// <list type="number">
/// <item>a pair is a candidate when its IoU is at least the threshold (distance 1 − IoU);</item>
/// <item>an object keeps the hypothesis it was last matched to while that pair is still a candidate;</item>
/// <item>the rest are assigned optimally (most pairs, then least distance); an object matched to another
/// hypothesis than its last one is an id switch;</item>
/// <item>objects left are misses, hypotheses left are false positives.</item>
/// </list>
/// IDF1 comes from one global optimal matching of ground-truth ids to hypothesis ids over the whole
/// sequence. Ground-truth rows with confidence 0 are ignored (MOTChallenge's convention).
/// </summary>
public static class MotEvaluator
{
    /// <summary>Evaluates <paramref name="hypotheses"/> against <paramref name="groundTruth"/> on the frames of either (or only <paramref name="frames"/>, when given).</summary>
    public static MotMetrics Evaluate(IEnumerable<MotBox> groundTruth, IEnumerable<MotBox> hypotheses, double iouThreshold = 0.5, IReadOnlySet<int>? frames = null)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(hypotheses);
        var gtByFrame = groundTruth.Where(b => b.IsScored && (frames is null || frames.Contains(b.Frame))).GroupBy(b => b.Frame).ToDictionary(g => g.Key, g => g.ToArray());
        var hypByFrame = hypotheses.Where(b => frames is null || frames.Contains(b.Frame)).GroupBy(b => b.Frame).ToDictionary(g => g.Key, g => g.ToArray());
        var maxDistance = 1 - iouThreshold;

        var lastMatch = new Dictionary<int, int>();              // object id → hypothesis id it was last matched to
        var history = new Dictionary<int, List<bool>>();        // object id → matched or not, each frame it appears
        var overlaps = new Dictionary<(int Gt, int Hyp), int>(); // frames where the pair is a candidate, for IDF1
        var gtCount = new Dictionary<int, int>();
        var hypCount = new Dictionary<int, int>();
        int matches = 0, switches = 0, misses = 0, falsePositives = 0, gtBoxes = 0, hypBoxes = 0;
        var distanceSum = 0.0;

        foreach (var frame in gtByFrame.Keys.Union(hypByFrame.Keys).Order())
        {
            var gt = gtByFrame.GetValueOrDefault(frame, []);
            var hyp = hypByFrame.GetValueOrDefault(frame, []);
            gtBoxes += gt.Length;
            hypBoxes += hyp.Length;
            foreach (var g in gt)
            {
                gtCount[g.Id] = gtCount.GetValueOrDefault(g.Id) + 1;
            }

            foreach (var h in hyp)
            {
                hypCount[h.Id] = hypCount.GetValueOrDefault(h.Id) + 1;
            }

            var distance = new double[gt.Length, hyp.Length];
            for (var i = 0; i < gt.Length; i++)
            {
                for (var j = 0; j < hyp.Length; j++)
                {
                    var d = 1 - Iou(gt[i], hyp[j]);
                    distance[i, j] = d <= maxDistance ? d : double.NaN;
                    if (!double.IsNaN(distance[i, j]))
                    {
                        overlaps[(gt[i].Id, hyp[j].Id)] = overlaps.GetValueOrDefault((gt[i].Id, hyp[j].Id)) + 1;
                    }
                }
            }

            var gtDone = new bool[gt.Length];
            var hypDone = new bool[hyp.Length];

            // 1. Keep last matches that are still candidates.
            for (var i = 0; i < gt.Length; i++)
            {
                if (!lastMatch.TryGetValue(gt[i].Id, out var previous))
                {
                    continue;
                }

                var j = Array.FindIndex(hyp, h => h.Id == previous);
                if (j >= 0 && !hypDone[j] && !double.IsNaN(distance[i, j]))
                {
                    gtDone[i] = hypDone[j] = true;
                    matches++;
                    distanceSum += distance[i, j];
                }
            }

            // 2. Assign the rest optimally.
            var rows = Enumerable.Range(0, gt.Length).Where(i => !gtDone[i]).ToArray();
            var cols = Enumerable.Range(0, hyp.Length).Where(j => !hypDone[j]).ToArray();
            foreach (var (i, j) in AssignValid(distance, rows, cols))
            {
                gtDone[i] = hypDone[j] = true;
                distanceSum += distance[i, j];
                if (lastMatch.TryGetValue(gt[i].Id, out var previous) && previous != hyp[j].Id)
                {
                    switches++;
                }
                else
                {
                    matches++;
                }

                lastMatch[gt[i].Id] = hyp[j].Id;
            }

            for (var i = 0; i < gt.Length; i++)
            {
                if (!gtDone[i])
                {
                    misses++;
                }

                if (!history.TryGetValue(gt[i].Id, out var list))
                {
                    history[gt[i].Id] = list = [];
                }

                list.Add(gtDone[i]);
            }

            falsePositives += hypDone.Count(done => !done);
        }

        var detections = matches + switches;
        var (mostlyTracked, partlyTracked, mostlyLost, fragmentations) = Coverage(history.Values);
        var idTruePositives = IdentityTruePositives(overlaps, gtCount.Keys.ToArray(), hypCount.Keys.ToArray());
        var idFalseNegatives = gtBoxes - idTruePositives;
        var idFalsePositives = hypBoxes - idTruePositives;
        return new MotMetrics(
            Mota: gtBoxes == 0 ? 0 : 1 - ((double)(misses + switches + falsePositives) / gtBoxes),
            Motp: detections == 0 ? 0 : distanceSum / detections,
            Idf1: gtBoxes + hypBoxes == 0 ? 0 : 2.0 * idTruePositives / (gtBoxes + hypBoxes),
            Idp: hypBoxes == 0 ? 0 : (double)idTruePositives / (idTruePositives + idFalsePositives),
            Idr: gtBoxes == 0 ? 0 : (double)idTruePositives / (idTruePositives + idFalseNegatives),
            Precision: detections + falsePositives == 0 ? 0 : (double)detections / (detections + falsePositives),
            Recall: gtBoxes == 0 ? 0 : (double)detections / gtBoxes,
            IdSwitches: switches,
            Fragmentations: fragmentations,
            FalsePositives: falsePositives,
            Misses: misses,
            MostlyTracked: mostlyTracked,
            PartlyTracked: partlyTracked,
            MostlyLost: mostlyLost,
            GtIds: gtCount.Count,
            HypIds: hypCount.Count,
            GtBoxes: gtBoxes,
            HypBoxes: hypBoxes);
    }

    /// <summary>Plain IoU of two left/top/width/height boxes.</summary>
    public static double Iou(in MotBox a, in MotBox b)
    {
        var w = Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left);
        var h = Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var inter = w * h;
        var union = (a.Width * a.Height) + (b.Width * b.Height) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /// <summary>The most candidate pairs among <paramref name="rows"/> × <paramref name="cols"/>, then the least total distance.</summary>
    private static List<(int Row, int Col)> AssignValid(double[,] distance, int[] rows, int[] cols)
    {
        if (rows.Length == 0 || cols.Length == 0)
        {
            return [];
        }

        // An invalid pair costs more than any set of valid ones could save, as py-motmetrics does it.
        var largest = 0.0;
        var any = false;
        foreach (var i in rows)
        {
            foreach (var j in cols)
            {
                if (!double.IsNaN(distance[i, j]))
                {
                    largest = Math.Max(largest, Math.Abs(distance[i, j]));
                    any = true;
                }
            }
        }

        if (!any)
        {
            return [];
        }

        var expensive = (2 * Math.Min(rows.Length, cols.Length) * (largest + 1)) + 1;
        var cost = new double[rows.Length, cols.Length];
        for (var a = 0; a < rows.Length; a++)
        {
            for (var b = 0; b < cols.Length; b++)
            {
                var d = distance[rows[a], cols[b]];
                cost[a, b] = double.IsNaN(d) ? expensive : d;
            }
        }

        var assignment = LinearAssignment.Solve(cost);
        var pairs = new List<(int, int)>();
        for (var a = 0; a < assignment.Length; a++)
        {
            if (assignment[a] >= 0 && !double.IsNaN(distance[rows[a], cols[assignment[a]]]))
            {
                pairs.Add((rows[a], cols[assignment[a]]));
            }
        }

        return pairs;
    }

    /// <summary>
    /// Mostly tracked (matched in at least 80 % of its frames), mostly lost (under 20 %), partly tracked
    /// (the rest), and fragmentations: each time a tracked object goes untracked between its first and last match.
    /// </summary>
    private static (int MostlyTracked, int PartlyTracked, int MostlyLost, int Fragmentations) Coverage(IEnumerable<List<bool>> histories)
    {
        int mt = 0, pt = 0, ml = 0, fragmentations = 0;
        foreach (var h in histories)
        {
            var ratio = (double)h.Count(m => m) / h.Count;
            if (ratio >= 0.8)
            {
                mt++;
            }
            else if (ratio < 0.2)
            {
                ml++;
            }
            else
            {
                pt++;
            }

            var first = h.IndexOf(true);
            var last = h.LastIndexOf(true);
            for (var k = first + 1; first >= 0 && k <= last; k++)
            {
                if (h[k - 1] && !h[k])
                {
                    fragmentations++;
                }
            }
        }

        return (mt, pt, ml, fragmentations);
    }

    /// <summary>IDTP: the most boxes a one-to-one matching of ground-truth ids to hypothesis ids can agree on.</summary>
    private static int IdentityTruePositives(Dictionary<(int Gt, int Hyp), int> overlaps, int[] gtIds, int[] hypIds)
    {
        if (overlaps.Count == 0)
        {
            return 0;
        }

        var gtIndex = gtIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var hypIndex = hypIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var cost = new double[gtIds.Length, hypIds.Length];
        foreach (var ((g, h), count) in overlaps)
        {
            cost[gtIndex[g], hypIndex[h]] = -count;
        }

        var assignment = LinearAssignment.SolveWithLimit(cost, 0);
        var total = 0;
        for (var i = 0; i < assignment.Length; i++)
        {
            if (assignment[i] >= 0)
            {
                total -= (int)cost[i, assignment[i]];
            }
        }

        return total;
    }
}
