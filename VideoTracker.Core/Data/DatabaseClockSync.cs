using System.Diagnostics;
using VideoTracker.Core.Jobs;

namespace VideoTracker.Core.Data;

/// <summary>
/// PostgreSQL: reads the server's clock into <see cref="DatabaseClock"/> before the other services start (after the
/// database is ready) and then every <c>Jobs:SweepSeconds</c>, so the monotonic clock's drift never adds up. A reading
/// that fails keeps the last one.
/// </summary>
public sealed class DatabaseClockSync(
    DatabaseClock clock,
    IDbContextFactory<VideoTrackerDbContext> contexts,
    IOptions<DatabaseOptions> database,
    TimeProvider time,
    IOptions<JobsOptions> options,
    ILogger<DatabaseClockSync> logger) : PeriodicSweep("clock", TimeSpan.FromSeconds(options.Value.SweepSeconds), time, logger)
{
    /// <summary>A node whose own clock is further than this from the server's says so once, at start-up.</summary>
    private static readonly TimeSpan NotedSkew = TimeSpan.FromSeconds(1);

    protected override bool Enabled => database.Value.Kind == DatabaseProvider.Postgres;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            try
            {
                await SweepOnceAsync(cancellationToken).ConfigureAwait(false);
                var skew = TimeProvider.System.GetUtcNow() - clock.GetUtcNow();
                if (skew.Duration() > NotedSkew)
                {
                    Log.ClockSkew(Logger, skew.TotalSeconds);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Jobs.Log.SweepFailed(Logger, "clock", ex);
            }
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var sentAt = Stopwatch.GetTimestamp();
        var serverTime = await db.Database.SqlQuery<DateTime>($"""SELECT clock_timestamp() AS "Value" """)
            .SingleAsync(cancellationToken).ConfigureAwait(false);
        clock.Set(new DateTimeOffset(DateTime.SpecifyKind(serverTime, DateTimeKind.Utc)), sentAt, Stopwatch.GetTimestamp());
    }
}
