using VideoTracker.Core.Jobs;

namespace VideoTracker.Core.Data;

/// <summary>
/// PostgreSQL: reads the server's clock into <see cref="DatabaseClock"/> every <c>Jobs:SweepSeconds</c> after the first
/// reading (<see cref="DatabaseInitializer"/>'s, at start-up), so the monotonic clock's drift never adds up. A reading
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
    protected override bool Enabled => database.Value.Kind == DatabaseProvider.Postgres;

    protected override async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await clock.ReadAsync(db.Database.GetDbConnection(), cancellationToken).ConfigureAwait(false);
    }
}
