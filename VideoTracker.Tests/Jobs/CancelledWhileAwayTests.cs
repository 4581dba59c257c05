namespace VideoTracker.Tests.Jobs;

/// <summary>
/// A cancel sent while the job's worker is gone (dead, or shutting down) on a real migrated SQLite file: the job ends
/// as cancelled, never back in the queue to run again first, and never "interrupted N times" on its last attempt.
/// </summary>
public sealed class CancelledWhileAwayTests : IAsyncLifetime
{
    private const int MaxAttempts = 3;
    private readonly MigratedSqlite _database = new(TimeProvider.System, _ => { });

    private JobStore Store => _database.Services.GetRequiredService<JobStore>();

    public Task InitializeAsync() => _database.MigrateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData(0)]               // would go back to the queue
    [InlineData(MaxAttempts - 1)] // its last attempt: would fail as "interrupted 3 times"
    public async Task Recover_AnExpiredLeaseWithACancelRequested_EndsTheJobCancelled(int attempts)
    {
        var id = await AddRunningAsync(attempts, leaseExpiresAt: Store.UtcNow.AddSeconds(-1));
        Assert.True(await Store.RequestCancelAsync(id, CancellationToken.None));

        var interrupted = Assert.Single(await Store.FindInterruptedAsync("this-process", [], onlyProcess: false, CancellationToken.None));
        var status = await Store.RecoverAsync(interrupted, MaxAttempts, CancellationToken.None);

        Assert.Equal(JobStatus.Cancelled, status);
        var job = await Store.FindAsync(id, CancellationToken.None);
        Assert.Equal(JobStatus.Cancelled, job!.Status);
        Assert.Equal(JobStore.CancelledError, job.Error);
        Assert.Equal(attempts + 1, job.Attempts);
        Assert.Null(job.LeaseOwner);
        Assert.NotNull(job.CompletedAt);
    }

    [Fact]
    public async Task Recover_AnExpiredLeaseWithoutACancel_StillGoesBackToTheQueue()
    {
        var id = await AddRunningAsync(attempts: 0, leaseExpiresAt: Store.UtcNow.AddSeconds(-1));

        var interrupted = Assert.Single(await Store.FindInterruptedAsync("this-process", [], onlyProcess: false, CancellationToken.None));

        Assert.Equal(JobStatus.Pending, await Store.RecoverAsync(interrupted, MaxAttempts, CancellationToken.None));
        Assert.Equal(JobStatus.Pending, (await Store.FindAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Release_OnShutdownWithACancelRequested_EndsTheJobCancelled()
    {
        var id = await AddRunningAsync(attempts: 0, leaseExpiresAt: Store.UtcNow.AddMinutes(1));
        Assert.True(await Store.RequestCancelAsync(id, CancellationToken.None));

        Assert.Equal(JobStatus.Cancelled, await Store.ReleaseAsync(id, RecoverySweepTests.DeadOwner, CancellationToken.None));
        var job = await Store.FindAsync(id, CancellationToken.None);
        Assert.Equal(JobStatus.Cancelled, job!.Status);
        Assert.Equal(0, job.Attempts);
    }

    /// <summary>The worker's own path: a run whose results are in place completes, even with a cancel pending (it came too late).</summary>
    [Fact]
    public async Task Complete_ByItsWorkerWithACancelRequested_CompletesTheJob()
    {
        var id = await AddRunningAsync(attempts: 0, leaseExpiresAt: Store.UtcNow.AddMinutes(1));
        Assert.True(await Store.RequestCancelAsync(id, CancellationToken.None));

        Assert.True(await Store.CompleteAsync(id, RecoverySweepTests.DeadOwner, $"jobs/{id:N}/results", new LiveCounters(5, 5, null, null), CancellationToken.None));
        Assert.Equal(JobStatus.Completed, (await Store.FindAsync(id, CancellationToken.None))!.Status);
    }

    private Task<Guid> AddRunningAsync(int attempts, DateTime leaseExpiresAt) =>
        RecoverySweepTests.AddOrphanAsync(Store, _database.Services.GetRequiredService<DataPaths>(), attempts, leaseExpiresAt);
}
