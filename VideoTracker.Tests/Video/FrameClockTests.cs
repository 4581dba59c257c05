namespace VideoTracker.Tests.Video;

public sealed class FrameClockTests
{
    [Fact]
    public void Next_DecoderTimesThatIncrease_AreTheFramesTimesEvenWhenTheGapsVary()
    {
        var clock = new FrameClock(fps: 25);

        Assert.Equal([0, 40, 140, 300, 520.125], new[] { 0, 40, 140, 300, 520.1249 }.Select(clock.Next));
    }

    [Fact]
    public void Next_DecoderTimeMissingOrNotAfterThePrevious_IsOneFramePeriodAfterThePrevious()
    {
        var clock = new FrameClock(fps: 10);

        Assert.Equal([0, 100, 200, 300, 350], new[] { double.NaN, 0, -5, 300, 350 }.Select(clock.Next));
    }

    [Fact]
    public void Next_HeaderWithoutAFrameRate_StepsAtTheFallbackRate()
    {
        var clock = new FrameClock(fps: 0);

        Assert.Equal([0, 1000 / FrameLoop.FallbackFps], new[] { 0.0, 0.0 }.Select(clock.Next));
    }
}
