namespace VideoTracker.Tests.Tracking;

public sealed class TrackRefinerTests
{
    private static DetectedObject Box(int id, float x, float confidence = 0.9f) => new(x, 10, x + 20, 50, confidence, 0, "person", id);

    private static List<FrameDetections> Run(TrackRefiner refiner, params DetectedObject[][] frames)
    {
        var written = new List<FrameDetections>();
        for (var i = 0; i < frames.Length; i++)
        {
            written.AddRange(refiner.Push(new FrameDetections(i, i * 100, frames[i])));
        }

        written.AddRange(refiner.Complete());
        return written;
    }

    [Fact]
    public void Push_TrackFoundAgainWithinTheGap_FillsTheMissedFramesLinearlyAndMarksThem()
    {
        var written = Run(new TrackRefiner(maxGap: 5, minLength: 1), [Box(1, 0)], [], [], [Box(1, 30, 0.6f)]);

        Assert.Equal([0, 1, 2, 3], written.Select(f => f.FrameIndex));
        var filled = written[1].Detections.Single();
        Assert.True(filled.Interpolated);
        Assert.Equal((10f, 1, 0.6f), (filled.X1, filled.TrackId!.Value, filled.Confidence));
        Assert.Equal(20f, written[2].Detections.Single().X1);
        Assert.False(written[3].Detections.Single().Interpolated);
    }

    [Fact]
    public void Push_GapLongerThanTheLimit_IsLeftEmpty()
    {
        var written = Run(new TrackRefiner(maxGap: 1, minLength: 1), [Box(1, 0)], [], [], [Box(1, 30)]);

        Assert.Empty(written[1].Detections);
        Assert.Empty(written[2].Detections);
    }

    [Fact]
    public void Push_ShortTrack_IsDroppedAndLongOnesKept()
    {
        var written = Run(new TrackRefiner(maxGap: 0, minLength: 3), [Box(1, 0), Box(2, 100)], [Box(1, 1)], [Box(1, 2)], [Box(1, 3)]);

        Assert.All(written.SelectMany(f => f.Detections), d => Assert.Equal(1, d.TrackId));
        Assert.Equal(4, written.Sum(f => f.Detections.Count));
    }

    [Fact]
    public void Push_BothOff_HoldsNothingBack()
    {
        var refiner = new TrackRefiner(maxGap: 0, minLength: 1);

        Assert.Equal(0, refiner.Delay);
        Assert.Single(refiner.Push(new FrameDetections(0, 0, [Box(1, 0)])));
    }

    [Fact]
    public void Update_ObservationCentricReupdate_FoundAgainAfterAGapWithTheNewBox()
    {
        // A box walks right, vanishes for 4 frames, and comes back further on: both ways keep the id;
        // with the re-update, the track's velocity afterwards follows the observed path.
        foreach (var reupdate in new[] { false, true })
        {
            var tracker = new ByteTracker(new ByteTrackerOptions { ObservationCentricReupdate = reupdate });
            var id = 0;
            for (var f = 0; f < 10; f++)
            {
                id = tracker.Update([new TrackerInput(100 + (f * 4), 50, 140 + (f * 4), 130, 0.9)]).Single().TrackId;
            }

            for (var f = 10; f < 14; f++)
            {
                tracker.Update([]);
            }

            var back = tracker.Update([new TrackerInput(100 + (14 * 4), 50, 140 + (14 * 4), 130, 0.9)]).Single();
            Assert.Equal(id, back.TrackId);
            Assert.InRange(back.X1, 100 + (14 * 4) - 2, 100 + (14 * 4) + 2);
        }
    }
}
