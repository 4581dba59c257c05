namespace VideoTracker.Tests.Jobs;

public sealed class RecoverySweepTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    internal const string DeadOwner = "a-process-that-died";

    [Fact]
    public async Task Sweep_RunningJobsOfADeadProcess_RequeueWithOneMoreAttemptOrFailAfterMaxAttempts()
    {
        var client = factory.CreateClient();
        var store = factory.Services.GetRequiredService<JobStore>();
        var paths = factory.Services.GetRequiredService<DataPaths>();
        var retried = await AddOrphanAsync(store, paths, attempts: 0);
        var exhausted = await AddOrphanAsync(store, paths, attempts: 2);

        await factory.Services.GetRequiredService<JobRecoveryService>().SweepAsync(CancellationToken.None);

        var failed = await client.GetStatusAsync(exhausted);
        Assert.Equal("failed", failed.Status());
        Assert.Equal("interrupted 3 times", failed.GetProperty("error").GetString());
        Assert.Equal(3, failed.GetProperty("attempts").GetInt32());
        var done = await client.WaitForTerminalAsync(retried);
        Assert.Equal("completed", done.Status());
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
        Assert.Equal(100, done.Progress());
    }

    /// <summary>
    /// Its worker moved the whole results into place, a cancel came, and the worker died before it saved the end: the
    /// sweep completes the job, as the worker itself does once its results are in place (see
    /// <see cref="CancelledWhileAwayTests.Complete_ByItsWorkerWithACancelRequested_CompletesTheJob"/>): the work was done.
    /// </summary>
    [Fact]
    public async Task Sweep_ARunWithItsResultsInPlaceAndACancelRequested_CompletesTheJobWithThoseResults()
    {
        var store = factory.Services.GetRequiredService<JobStore>();
        var paths = factory.Services.GetRequiredService<DataPaths>();
        var (id, results) = await AddOrphanWithResultsAsync(store, paths, cancelRequestedAt: store.UtcNow);

        await factory.Services.GetRequiredService<JobRecoveryService>().SweepAsync(CancellationToken.None);

        await AssertCompletedWithAsync(store, paths, id, results);
    }

    /// <summary>An orphan whose worker had moved its whole results (the folder, returned) into place, and whose lease has run out.</summary>
    internal static async Task<(Guid Id, string Results)> AddOrphanWithResultsAsync(JobStore store, DataPaths paths, DateTime? cancelRequestedAt = null)
    {
        var id = Guid.NewGuid();
        var results = Directory.CreateDirectory(Path.Combine(paths.JobDirectory(id), ResultFiles.FolderName)).FullName;
        File.WriteAllText(ResultFiles.SummaryPath(results), "{}");
        await AddOrphanAsync(store, paths, attempts: 0, leaseExpiresAt: store.UtcNow.AddSeconds(-1), cancelRequestedAt: cancelRequestedAt, id: id);
        return (id, results);
    }

    /// <summary>The job completed with the <paramref name="results"/> its run left, on its first attempt, and they are still there.</summary>
    internal static async Task AssertCompletedWithAsync(JobStore store, DataPaths paths, Guid id, string results)
    {
        var job = await store.FindAsync(id, CancellationToken.None);
        Assert.Equal(JobStatus.Completed, job!.Status);
        Assert.Null(job.Error);
        Assert.Equal(0, job.Attempts);
        Assert.Equal(paths.ToRelative(results), job.ResultsPath);
        Assert.True(File.Exists(ResultFiles.SummaryPath(results)));
    }

    /// <summary>A running job whose worker died: its lease names a process that no longer runs (<see cref="DeadOwner"/>).</summary>
    internal static async Task<Guid> AddOrphanAsync(
        JobStore store, DataPaths paths, int attempts, DateTime? leaseExpiresAt = null, DateTime? cancelRequestedAt = null, Guid? id = null,
        string leaseOwner = DeadOwner)
    {
        var jobId = id ?? Guid.NewGuid();
        var clip = TestClips.MovingSquare(paths.JobDirectory(jobId), frames: 5, name: "input.avi");
        await store.AddAsync(new VideoJob
        {
            JobId = jobId,
            PluginId = "opencv-classic",
            Tool = "video_motion_detection",
            Status = JobStatus.Running,
            Progress = 40,
            OriginalFileName = "orphan.avi",
            StoredFilePath = paths.ToRelative(clip),
            CreatedAt = store.UtcNow,
            UpdatedAt = store.UtcNow,
            StartedAt = store.UtcNow,
            Attempts = attempts,
            LeaseOwner = leaseOwner,
            LeaseExpiresAt = leaseExpiresAt ?? store.UtcNow.AddMinutes(5),
            CancelRequestedAt = cancelRequestedAt,
        }, CancellationToken.None);
        return jobId;
    }
}
