using VideoTracker.Core.Evaluation;

namespace VideoTracker.Tests.Evaluation;

/// <summary>The metric code against py-motmetrics' own expected values, and its rules on small cases.</summary>
public sealed class MotEvaluatorTests
{
    [SharedAssetFact(SharedAsset.Tracking)]
    public void Evaluate_TudCampus_ReproducesPyMotmetricsValues()
    {
        var gt = Read("tud_campus_gt.txt");
        var hyp = Read("tud_campus_tracker.txt");

        var m = MotEvaluator.Evaluate(gt, hyp, 0.5);

        Assert.Equal(0.526462, m.Mota, 0.001);
        Assert.Equal(0.557659, m.Idf1, 0.001);
        Assert.Equal(0.729730, m.Idp, 0.001);
        Assert.Equal(0.451253, m.Idr, 0.001);
        Assert.Equal(0.582173, m.Recall, 0.001);
        Assert.Equal(0.941441, m.Precision, 0.001);
        Assert.Equal(0.277201, m.Motp, 0.001);
        Assert.Equal(13, m.FalsePositives);
        Assert.Equal(150, m.Misses);
        Assert.Equal(7, m.IdSwitches);
        Assert.Equal(7, m.Fragmentations);
        Assert.Equal((1, 6, 1), (m.MostlyTracked, m.PartlyTracked, m.MostlyLost));
        Assert.Equal((359, 222, 8, 13), (m.GtBoxes, m.HypBoxes, m.GtIds, m.HypIds));
    }

    [Fact]
    public void Evaluate_PerfectTracks_ScoresOne()
    {
        var gt = Enumerable.Range(1, 10).SelectMany(f => new[] { new MotBox(f, 1, f * 3, 10, 20, 40, 1), new MotBox(f, 2, 200, f, 20, 40, 1) }).ToList();
        var hyp = gt.Select(b => b with { Id = b.Id + 100 }).ToList();

        var m = MotEvaluator.Evaluate(gt, hyp);

        Assert.Equal((1.0, 1.0, 0.0), (m.Mota, m.Idf1, m.Motp));
        Assert.Equal((0, 0, 0, 2), (m.IdSwitches, m.FalsePositives, m.Misses, m.MostlyTracked));
    }

    [Fact]
    public void Evaluate_IdChangesHalfway_CountsOneSwitchAndHalvesIdf1()
    {
        var gt = Enumerable.Range(1, 10).Select(f => new MotBox(f, 1, 10, 10, 20, 40, 1)).ToList();
        var hyp = gt.Select(b => b with { Id = b.Frame <= 5 ? 7 : 8 }).ToList();

        var m = MotEvaluator.Evaluate(gt, hyp);

        Assert.Equal(1, m.IdSwitches);
        Assert.Equal(0.9, m.Mota, 9);
        Assert.Equal(0.5, m.Idf1, 9);
    }

    [Fact]
    public void Evaluate_KeptMatchStillValid_IsKeptEvenWhenAnotherHypothesisFitsBetter()
    {
        // Frame 1 matches object 1 to hypothesis 7. In frame 2, hypothesis 8 overlaps better, but 7 is still over 0.5: no switch.
        MotBox[] gt = [new(1, 1, 0, 0, 100, 100, 1), new(2, 1, 0, 0, 100, 100, 1)];
        MotBox[] hyp = [new(1, 7, 0, 0, 100, 100, 1), new(2, 7, 20, 0, 100, 100, 1), new(2, 8, 0, 0, 100, 100, 1)];

        var m = MotEvaluator.Evaluate(gt, hyp);

        Assert.Equal((0, 1), (m.IdSwitches, m.FalsePositives));
    }

    [Fact]
    public void Evaluate_ZeroConfidenceGroundTruth_IsIgnored()
    {
        MotBox[] gt = [new(1, 1, 0, 0, 10, 10, 1), new(1, 2, 50, 50, 10, 10, 0)];
        MotBox[] hyp = [new(1, 1, 0, 0, 10, 10, 1)];

        var m = MotEvaluator.Evaluate(gt, hyp);

        Assert.Equal((1, 0, 1.0), (m.GtBoxes, m.Misses, m.Mota));
    }

    private static List<MotBox> Read(string name)
    {
        using var reader = new StreamReader(Path.Combine(TestClips.TrackingFixtures, name));
        return Assert.IsType<MotParseResult.Parsed>(MotText.Parse(reader)).Boxes.ToList();
    }
}
