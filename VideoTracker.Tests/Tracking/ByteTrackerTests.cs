namespace VideoTracker.Tests.Tracking;

/// <summary>The tracker's rules on synthetic detections.</summary>
public sealed class ByteTrackerTests
{
    private static TrackerInput Box(double x, double y, double score = 0.9, double w = 40, double h = 80) => new(x, y, x + w, y + h, score);

    [Fact]
    public void Update_TwoObjectsCrossing_KeepTheirIds()
    {
        var tracker = new ByteTracker(new ByteTrackerOptions());
        var idsOfLeftStarter = new HashSet<int>();
        var idsOfRightStarter = new HashSet<int>();

        for (var f = 0; f <= 30; f++)
        {
            var a = Box(10 + (f * 10), 100);        // left to right
            var b = Box(310 - (f * 10), 120);       // right to left, a little lower: they overlap mid-way
            var tracked = tracker.Update([b, a]);

            Assert.Equal(2, tracked.Count);
            idsOfLeftStarter.Add(tracked.Single(t => t.DetectionIndex == 1).TrackId);
            idsOfRightStarter.Add(tracked.Single(t => t.DetectionIndex == 0).TrackId);
        }

        Assert.Single(idsOfLeftStarter);
        Assert.Single(idsOfRightStarter);
        Assert.NotEqual(idsOfLeftStarter.Single(), idsOfRightStarter.Single());
    }

    [Fact]
    public void Update_NewObjectAfterTheFirstFrame_IsReportedFromItsSecondFrame()
    {
        var tracker = new ByteTracker(new ByteTrackerOptions());
        var first = tracker.Update([Box(0, 0)]).Single().TrackId;
        tracker.Update([Box(2, 0)]);

        var appearing = tracker.Update([Box(4, 0), Box(300, 300)]);
        Assert.Equal([first], appearing.Select(t => t.TrackId));   // one frame is not yet a track

        var confirmed = tracker.Update([Box(6, 0), Box(302, 300)]);
        Assert.Equal(2, confirmed.Count);
        Assert.Equal(first, confirmed.Single(t => t.DetectionIndex == 0).TrackId);
        Assert.Equal(first + 1, confirmed.Single(t => t.DetectionIndex == 1).TrackId);
    }

    [Fact]
    public void Update_NewDetectionBelowTrackThresholdPlusATenth_StartsNoTrack()
    {
        var tracker = new ByteTracker(new ByteTrackerOptions { TrackThreshold = 0.5 });

        Assert.Empty(tracker.Update([Box(0, 0, 0.58)]));
        Assert.Equal(0, tracker.LiveTracks);
        tracker.Update([Box(100, 0, 0.61)]);
        Assert.Equal(1, tracker.LiveTracks);
    }

    [Fact]
    public void MaxTimeLost_TrackBufferAtTenFps_IsAThirdOfTheBuffer()
    {
        Assert.Equal(10, new ByteTrackerOptions { TrackBuffer = 30, FrameRate = 10 }.MaxTimeLost);
        Assert.Equal(30, new ByteTrackerOptions { TrackBuffer = 30, FrameRate = 30 }.MaxTimeLost);
    }

    [Fact]
    public void Update_LostWithinTheBuffer_KeepsItsId()
    {
        var tracker = new ByteTracker(new ByteTrackerOptions { TrackBuffer = 5 });
        var id = tracker.Update([Box(50, 50)]).Single().TrackId;
        for (var i = 0; i < 5; i++)
        {
            Assert.Empty(tracker.Update([]));
        }

        Assert.Equal(id, tracker.Update([Box(50, 50)]).Single().TrackId);
    }

    [Fact]
    public void Update_LostLongerThanTheBuffer_ExpiresAndComesBackWithANewId()
    {
        var tracker = new ByteTracker(new ByteTrackerOptions { TrackBuffer = 5 });
        var id = tracker.Update([Box(50, 50)]).Single().TrackId;
        for (var i = 0; i < 7; i++)
        {
            tracker.Update([]);
        }

        Assert.Equal(0, tracker.LiveTracks);
        Assert.Empty(tracker.Update([Box(50, 50)]));
        var again = tracker.Update([Box(50, 50)]).Single().TrackId;
        Assert.NotEqual(id, again);
    }

    [Fact]
    public void Update_LowScoreDetection_ContinuesATrackButNeverStartsOne()
    {
        var tracker = new ByteTracker(new ByteTrackerOptions());
        var id = tracker.Update([Box(0, 0, 0.9)]).Single().TrackId;

        // A blurred frame: the object scores only 0.3 (between 0.1 and 0.5); a stranger scores 0.3 too.
        var blurred = tracker.Update([Box(1, 0, 0.3), Box(400, 400, 0.3)]);
        Assert.Equal(id, blurred.Single().TrackId);
        Assert.Equal(0, blurred.Single().DetectionIndex);

        Assert.Equal(id, tracker.Update([Box(2, 0, 0.9), Box(400, 400, 0.3)]).Single().TrackId);
    }

    [Fact]
    public void Update_MovingObject_KalmanBoxFollowsTheDetections()
    {
        var tracker = new ByteTracker(new ByteTrackerOptions());
        TrackerOutput last = default;
        for (var f = 0; f < 20; f++)
        {
            last = tracker.Update([Box(100 + (f * 5), 50)]).Single();
        }

        Assert.InRange(last.X1, 100 + (19 * 5) - 1.0, 100 + (19 * 5) + 1.0);
        Assert.InRange(last.X2 - last.X1, 39, 41);
    }

    [Fact]
    public void InclusiveIou_IdenticalAndTouchingBoxes_CountsPixelsInclusively()
    {
        Assert.Equal(1, ByteTracker.InclusiveIou((0, 0, 9, 9), (0, 0, 9, 9)), 12);
        // Sharing the column x = 9: 1 × 10 pixels of 10 × 10 + 10 × 10 − 10.
        Assert.Equal(10.0 / 190, ByteTracker.InclusiveIou((0, 0, 9, 9), (9, 0, 18, 9)), 12);
    }
}
