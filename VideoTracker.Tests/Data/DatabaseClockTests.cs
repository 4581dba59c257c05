using System.Diagnostics;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Data;

/// <summary><see cref="DatabaseClock"/>: which readings of the server's clock it takes, and what it then says.</summary>
public sealed class DatabaseClockTests
{
    private static readonly DateTimeOffset ServerNow = new(2026, 11, 28, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Take_ASlowReadingAfterAFastOne_KeepsTheFastOne()
    {
        var clock = new DatabaseClock();
        var now = Stopwatch.GetTimestamp();
        clock.Take(ServerNow, now - Ticks(0.002), now);

        // A server that froze for 20 s and stamped its answer as it woke: halfway would put the clock 10 s ahead.
        clock.Take(ServerNow, now - Ticks(20), now);

        AssertNear(ServerNow, clock.GetUtcNow());
    }

    [Fact]
    public void Take_AFastReadingAfterAnother_TakesTheNewOne()
    {
        var clock = new DatabaseClock();
        var now = Stopwatch.GetTimestamp();
        clock.Take(ServerNow, now - Ticks(0.002), now);

        clock.Take(ServerNow.AddSeconds(7), now - Ticks(0.5), now);

        AssertNear(ServerNow.AddSeconds(7.25), clock.GetUtcNow());
    }

    [Fact]
    public void Take_ASlowFirstReading_IsTakenForWantOfABetterOne()
    {
        var clock = new DatabaseClock();
        var now = Stopwatch.GetTimestamp();

        clock.Take(ServerNow, now - Ticks(4), now);

        AssertNear(ServerNow.AddSeconds(2), clock.GetUtcNow());
    }

    private static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

    /// <summary>Within a second: what the test itself takes between its readings and this look.</summary>
    private static void AssertNear(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.True((actual - expected).Duration() < TimeSpan.FromSeconds(1), $"The clock says {actual:O}, expected about {expected:O}.");
}
