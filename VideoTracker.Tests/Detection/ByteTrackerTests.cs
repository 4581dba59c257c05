using VideoTracker.Core.Detectors;

namespace VideoTracker.Tests.Detectors;

/// <summary>The tracker on synthetic detections.</summary>
public sealed class ByteTrackerTests
{
    private static Candidate Box(float x, float y, float score = 0.9f, float w = 40, float h = 80) => new(x, y, x + w, y + h, score, 0);

    [Fact]
    public void Update_TwoObjectsCrossing_KeepTheirIds()
    {
        var tracker = new ByteTracker(new ByteTrackerOptions());
        var idOfLeftStarter = new HashSet<int>();
        var idOfRightStarter = new HashSet<int>();

        for (var f = 0; f <= 30; f++)
        {
            var a = Box(10 + (f * 10), 100);        // left to right
            var b = Box(310 - (f * 10), 120);       // right to left, a little lower: they overlap mid-way
            var tracked = tracker.Update([b, a]);

            Assert.Equal(2, tracked.Count);
            idOfLeftStarter.Add(tracked.Single(t => t.Box == a).TrackId);
            idOfRightStarter.Add(tracked.Single(t => t.Box == b).TrackId);
        }

        Assert.Single(idOfLeftStarter);
        Assert.Single(idOfRightStarter);
        Assert.NotEqual(idOfLeftStarter.Single(), idOfRightStarter.Single());
    }

    [Fact]
    public void Update_NewObjectAppears_GetsANewIdOnceConfirmed()
    {
        var tracker = new ByteTracker(new ByteTrackerOptions());
        var first = tracker.Update([Box(0, 0)]).Single().TrackId;
        tracker.Update([Box(2, 0)]);

        var appearing = tracker.Update([Box(4, 0), Box(300, 300)]);
        Assert.Equal([first], appearing.Select(t => t.TrackId));   // one frame is not yet a track

        var confirmed = tracker.Update([Box(6, 0), Box(302, 300)]);
        Assert.Equal(2, confirmed.Count);
        var newId = confirmed.Single(t => t.Box.X1 == 302).TrackId;
        Assert.NotEqual(first, newId);
        Assert.Equal(first, confirmed.Single(t => t.Box.X1 == 6).TrackId);
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
        for (var i = 0; i < 6; i++)
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
        var id = tracker.Update([Box(0, 0, 0.9f)]).Single().TrackId;

        // A blurred frame: the object scores only 0.3 (between low 0.1 and high 0.5); a stranger scores 0.3 too.
        var blurred = tracker.Update([Box(1, 0, 0.3f), Box(400, 400, 0.3f)]);
        Assert.Equal(id, blurred.Single().TrackId);
        Assert.Equal(1, blurred.Single().Box.X1);

        Assert.Equal(id, tracker.Update([Box(2, 0, 0.9f), Box(400, 400, 0.3f)]).Single().TrackId);
    }
}
