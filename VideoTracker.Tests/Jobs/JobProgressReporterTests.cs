using Microsoft.Extensions.Logging.Abstractions;

namespace VideoTracker.Tests.Jobs;

/// <summary>
/// The live counters a running job's heartbeat writes, on a real migrated SQLite file: before the tool's first report
/// (while it opens the clip, seconds for a large one) the row has no total, so the status never says "frame 0 of 0".
/// </summary>
public sealed class JobProgressReporterTests : IAsyncLifetime
{
    private readonly MigratedSqlite _database = new(TimeProvider.System, _ => { });

    private JobStore Store => _database.Services.GetRequiredService<JobStore>();

    public Task InitializeAsync() => _database.MigrateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Beat_BeforeTheToolsFirstReport_WritesNoTotal_ThenTheToolsTotal()
    {
        var id = await RecoverySweepTests.AddOrphanAsync(
            Store, _database.Services.GetRequiredService<DataPaths>(), attempts: 0, leaseExpiresAt: Store.UtcNow.AddMinutes(1));
        var reporter = new JobProgressReporter(id, RecoverySweepTests.DeadOwner, Store, TimeProvider.System, 5, NullLogger.Instance);

        Assert.Equal(HeartbeatOutcome.Renewed, await reporter.BeatAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
        var opening = await Store.FindAsync(id, CancellationToken.None);
        reporter.Report(new FrameProgress(0, 40));
        Assert.Equal(HeartbeatOutcome.Renewed, await reporter.BeatAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
        var started = await Store.FindAsync(id, CancellationToken.None);

        Assert.Equal(0, opening!.CurrentFrame);
        Assert.Null(opening.TotalFrames);
        Assert.Equal(40, started!.TotalFrames);
    }
}
