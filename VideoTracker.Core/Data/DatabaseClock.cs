using System.Data.Common;
using System.Diagnostics;

namespace VideoTracker.Core.Data;

/// <summary>
/// PostgreSQL: the database server's clock, as this node reads it. Nodes stamp rows that other nodes judge by their own
/// "now" (a job's lease, a node's beat, a webhook's claim, a session's expiry), so each node's clock would have to agree
/// with every other's: one a minute behind renews its leases with ends a minute early, and another node's sweep takes its
/// healthy jobs. This clock is the server's time at the last reading (the first as the node connects at start-up, in
/// <see cref="DatabaseInitializer"/>, before migrations and start-up tasks; then <see cref="DatabaseClockSync"/>'s, every
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
    /// Reads the server's clock on <paramref name="connection"/> (open), as the time halfway between sending the query and
    /// its answer.
    /// </summary>
    public async Task ReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "SELECT clock_timestamp()";
            var sentAt = Stopwatch.GetTimestamp();
            var serverTime = (DateTime)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            Take(new DateTimeOffset(DateTime.SpecifyKind(serverTime, DateTimeKind.Utc)), sentAt, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>
    /// Takes the server's time <paramref name="serverTime"/>, read by a query sent at <paramref name="sentAt"/> and answered
    /// at <paramref name="answeredAt"/> (<see cref="Stopwatch"/> timestamps), as the time halfway between: off by at most
    /// half the round trip. A reading whose round trip was long (a server or network that froze for a while) is kept only
    /// when it is no worse than the one in use, or that one is old: the monotonic clock drifts by far less meanwhile.
    /// </summary>
    internal void Take(DateTimeOffset serverTime, long sentAt, long answeredAt)
    {
        var roundTrip = Stopwatch.GetElapsedTime(sentAt, answeredAt);
        var current = Volatile.Read(ref _reading);
        if (current is not null && roundTrip > TrustedRoundTrip && roundTrip > current.RoundTrip
            && Stopwatch.GetElapsedTime(current.Timestamp, answeredAt) < KeptAtMost)
        {
            return;
        }

        Volatile.Write(ref _reading, new Reading(serverTime, sentAt + ((answeredAt - sentAt) / 2), roundTrip));
    }

    /// <summary>A round trip short enough that its reading is always taken.</summary>
    private static readonly TimeSpan TrustedRoundTrip = TimeSpan.FromSeconds(1);

    /// <summary>How long a reading stays in use while every later one is slower than it and than <see cref="TrustedRoundTrip"/>.</summary>
    private static readonly TimeSpan KeptAtMost = TimeSpan.FromHours(1);

    private sealed record Reading(DateTimeOffset ServerTime, long Timestamp, TimeSpan RoundTrip);
}
