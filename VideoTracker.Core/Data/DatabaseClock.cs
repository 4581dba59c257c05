using System.Diagnostics;

namespace VideoTracker.Core.Data;

/// <summary>
/// PostgreSQL: the database server's clock, as this node reads it. Nodes stamp rows that other nodes judge by their own
/// "now" (a job's lease, a node's beat, a webhook's claim, a session's expiry), so each node's clock would have to agree
/// with every other's: one a minute behind renews its leases with ends a minute early, and another node's sweep takes its
/// healthy jobs. This clock is the server's time at the last reading (<see cref="DatabaseClockSync"/>, every
/// <c>Jobs:SweepSeconds</c>), plus the time elapsed since on this machine's monotonic clock, so neither a node's clock
/// being off nor its being stepped (NTP) moves it. Until the first reading, the system clock. Timers and elapsed time
/// are the system's.
/// </summary>
public sealed class DatabaseClock : TimeProvider
{
    private Reading? _reading;

    public override DateTimeOffset GetUtcNow() =>
        Volatile.Read(ref _reading) is { } r ? r.ServerTime + Stopwatch.GetElapsedTime(r.Timestamp) : System.GetUtcNow();

    /// <summary>
    /// Takes the server's time <paramref name="serverTime"/>, read by a query sent at <paramref name="sentAt"/> and answered
    /// at <paramref name="answeredAt"/> (<see cref="Stopwatch"/> timestamps), as the time halfway between.
    /// </summary>
    public void Set(DateTimeOffset serverTime, long sentAt, long answeredAt) =>
        Volatile.Write(ref _reading, new Reading(serverTime, sentAt + ((answeredAt - sentAt) / 2)));

    private sealed record Reading(DateTimeOffset ServerTime, long Timestamp);
}
