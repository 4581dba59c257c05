using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using VideoTracker.Core;
using VideoTracker.Core.Data;
using VideoTracker.Core.Detection;
using VideoTracker.Core.Nodes;

namespace VideoTracker.Tests.Jobs;

/// <summary>
/// A cancel sent to a running job that no live worker holds (its process died, its lease ran out), on a real migrated
/// SQLite file or PostgreSQL database, with <see cref="JobControl"/> and no host: the job ends as the recovery sweep
/// ends it (<see cref="RecoverySweepTests"/>, <see cref="CancelledWhileAwayTests"/>), not by rules of its own.
/// </summary>
public sealed class OrphanCancelTests : IAsyncLifetime
{
    private MigratedSqlite _database = null!;

    public async Task InitializeAsync()
    {
        _database = WithJobControl();
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    /// <summary>Its worker had moved the whole results into place and died before it saved the end: the work is done.</summary>
    [Fact]
    public Task Cancel_AnOrphanWithItsResultsInPlace_CompletesItWithThoseResultsAsTheSweepDoes() => CompletesWithItsResultsAsync(_database);

    [Fact]
    public Task Cancel_AnOrphanMidRun_EndsItCancelledAsTheSweepDoesAndRemovesWhatItLeftHalfWritten() => EndsCancelledAsync(_database);

    /// <summary>
    /// On SQLite, this process's own running job that no worker holds, its lease still live (a run that could not save
    /// its end): no other node can see the request, so the cancel answers at once, still running, for the sweep to end.
    /// </summary>
    [Fact]
    public async Task Cancel_ThisProcesssOwnJobThatNoWorkerHolds_OnSqlite_AnswersAtOnceWithoutWaitingForAnotherNode()
    {
        var (store, paths) = (_database.Services.GetRequiredService<JobStore>(), _database.Services.GetRequiredService<DataPaths>());
        var id = await RecoverySweepTests.AddOrphanAsync(store, paths, attempts: 0, leaseOwner: _database.Services.GetRequiredService<ProcessInstance>().Id);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        var outcome = await _database.Services.GetRequiredService<JobControl>().CancelAsync(id, CancellationToken.None);

        Assert.Equal(new JobControlOutcome.Cancelled(JobStatus.Running), outcome);
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < JobControl.StopWait / 2, "the cancel waited for a worker that does not exist");
        Assert.NotNull((await store.FindAsync(id, CancellationToken.None))!.CancelRequestedAt);
    }

    /// <summary>On SQLite a running job of another process has no worker, however long its lease still runs: the cancel ends it.</summary>
    [Fact]
    public async Task Cancel_AnotherProcesssJobWithALiveLease_OnSqlite_EndsItCancelledAsTheSweepDoes()
    {
        var (store, paths) = (_database.Services.GetRequiredService<JobStore>(), _database.Services.GetRequiredService<DataPaths>());
        var id = await RecoverySweepTests.AddOrphanAsync(store, paths, attempts: 0, leaseExpiresAt: store.UtcNow.AddMinutes(5));

        var outcome = await _database.Services.GetRequiredService<JobControl>().CancelAsync(id, CancellationToken.None);

        Assert.Equal(new JobControlOutcome.Cancelled(JobStatus.Cancelled), outcome);
        Assert.Equal(JobStatus.Cancelled, (await store.FindAsync(id, CancellationToken.None))!.Status);
    }

    [PostgresFact]
    public async Task Cancel_AnOrphanOnPostgres_EndsItAsTheSweepDoes()
    {
        await using var postgres = await TestPostgres.CreateAsync();
        await using var database = WithJobControl(postgres.Settings);
        await database.MigrateAsync();

        await CompletesWithItsResultsAsync(database);
        await EndsCancelledAsync(database);
    }

    private static async Task CompletesWithItsResultsAsync(MigratedSqlite database)
    {
        var (store, paths) = (database.Services.GetRequiredService<JobStore>(), database.Services.GetRequiredService<DataPaths>());
        var (id, results) = await RecoverySweepTests.AddOrphanWithResultsAsync(store, paths);

        var outcome = await database.Services.GetRequiredService<JobControl>().CancelAsync(id, CancellationToken.None);

        Assert.Equal(new JobControlOutcome.Cancelled(JobStatus.Completed), outcome);
        await RecoverySweepTests.AssertCompletedWithAsync(store, paths, id, results);
    }

    /// <summary>As the sweep: one more attempt counted, its partial results and an abandoned preview part deleted.</summary>
    private static async Task EndsCancelledAsync(MigratedSqlite database)
    {
        var (store, paths) = (database.Services.GetRequiredService<JobStore>(), database.Services.GetRequiredService<DataPaths>());
        var id = Guid.NewGuid();
        var folder = paths.JobDirectory(id);
        var partial = Directory.CreateDirectory(Path.Combine(folder, ResultFiles.PartialFolderName)).FullName;
        File.WriteAllText(Path.Combine(partial, "frames.jsonl"), "{}");
        File.WriteAllText(Path.Combine(folder, PreviewVideos.LockFileName), string.Empty);
        var part = Path.Combine(folder, $"preview.{Guid.NewGuid():N}.part.mp4");
        File.WriteAllText(part, "half an encode");
        await RecoverySweepTests.AddOrphanAsync(store, paths, attempts: 1, leaseExpiresAt: store.UtcNow.AddSeconds(-1), id: id);

        var outcome = await database.Services.GetRequiredService<JobControl>().CancelAsync(id, CancellationToken.None);

        Assert.Equal(new JobControlOutcome.Cancelled(JobStatus.Cancelled), outcome);
        var job = await store.FindAsync(id, CancellationToken.None);
        Assert.Equal(JobStatus.Cancelled, job!.Status);
        Assert.Equal(JobStore.CancelledError, job.Error);
        Assert.Equal(2, job.Attempts);
        Assert.Null(job.ResultsPath);
        Assert.False(Directory.Exists(partial));
        Assert.False(File.Exists(part));
        Assert.True(File.Exists(Path.Combine(folder, "input.avi")));
    }

    /// <summary>The database and what <see cref="JobControl"/> needs, registered as the app registers them (<see cref="CoreServiceCollectionExtensions.AddJobControl"/>).</summary>
    private static MigratedSqlite WithJobControl(IDictionary<string, string>? settings = null) => new(TimeProvider.System, services =>
    {
        services.AddOptions<JobsOptions>();
        services.AddOptions<StorageOptions>();
        services.AddOptions<NodeOptions>();
        services.AddOptions<DetectionOptions>();
        services.AddSingleton<IHostApplicationLifetime, ApplicationLifetime>();
        services.AddSingleton<FfmpegLocator>();
        services.AddSingleton<PreviewVideos>();
        services.AddJobControl();
    }, settings);
}
