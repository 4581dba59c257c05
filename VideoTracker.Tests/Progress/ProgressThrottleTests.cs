namespace VideoTracker.Tests.Progress;

public class ProgressThrottleTests
{
    [Theory]
    [InlineData(10_000)]
    [InlineData(795)]
    [InlineData(7)]
    [InlineData(1)]
    public void Report_EveryFrameOfAClip_WritesAtMost19TimesWhileRunning(int frames)
    {
        var throttle = new ProgressThrottle(5);

        var writes = Enumerable.Range(1, frames).Select(i => throttle.Report(new FrameProgress(i, frames))).OfType<int>().ToList();

        // With the claim's 0 and the completion's 100, a job makes at most 21 progress writes.
        Assert.InRange(writes.Count + 2, 2, 21);
    }

    [Fact]
    public void Report_TenThousandFrames_WritesEveryStepOnceInOrder()
    {
        var throttle = new ProgressThrottle(5);

        var writes = Enumerable.Range(1, 10_000).Select(i => throttle.Report(new FrameProgress(i, 10_000))).OfType<int>().ToList();

        Assert.Equal(Enumerable.Range(1, 19).Select(s => s * 5), writes);
    }

    [Fact]
    public void Report_WhenFramesAdvanceWithinBucket_DoesNotWrite()
    {
        var throttle = new ProgressThrottle(5);
        Assert.Equal(5, throttle.Report(new FrameProgress(50, 1000)));

        for (var frame = 51; frame < 100; frame++)
        {
            Assert.Null(throttle.Report(new FrameProgress(frame, 1000)));
        }

        Assert.Equal(10, throttle.Report(new FrameProgress(100, 1000)));
    }

    [Fact]
    public void Report_WhenFramesPassTheHeaderCount_NeverReaches100()
    {
        var throttle = new ProgressThrottle(5);

        var writes = Enumerable.Range(1, 300).Select(i => throttle.Report(new FrameProgress(i, 100))).OfType<int>().ToList();

        Assert.DoesNotContain(100, writes);
        Assert.Equal(95, writes[^1]);
        Assert.Equal(99, new FrameProgress(300, 100).RunningPercent);
    }

    [Fact]
    public void Report_WhenTotalShrinksOrFramesRepeat_NeverGoesBackwards()
    {
        var throttle = new ProgressThrottle(5);
        var reports = new[] { (50, 100), (10, 100), (60, 200), (70, 100), (20, 20), (5, 100) };

        var writes = reports.Select(r => throttle.Report(new FrameProgress(r.Item1, r.Item2))).OfType<int>().ToList();

        Assert.Equal([50, 70, 99], writes);
        Assert.Equal(writes.Order(), writes);
    }

    [Fact]
    public void Report_WithLargeJumps_WritesTheRealPercentNotTheBucketEdge()
    {
        var throttle = new ProgressThrottle(5);

        Assert.Equal(12, throttle.Report(new FrameProgress(12, 100)));
        Assert.Null(throttle.Report(new FrameProgress(14, 100)));
        Assert.Equal(15, throttle.Report(new FrameProgress(15, 100)));
    }

    [Theory]
    [InlineData(0, 100, 0)]
    [InlineData(1, 3, 33)]
    [InlineData(2, 3, 66)]
    [InlineData(3, 3, 99)]
    [InlineData(999, 1000, 99)]
    [InlineData(5, 0, 0)]
    public void RunningPercent_IsFlooredAndCappedAt99(int current, int total, int expected)
    {
        Assert.Equal(expected, new FrameProgress(current, total).RunningPercent);
    }
}
