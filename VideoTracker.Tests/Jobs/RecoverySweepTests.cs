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

    /// <summary>A running job whose worker died: its lease names a process that no longer runs (<see cref="DeadOwner"/>).</summary>
    internal static async Task<Guid> AddOrphanAsync(JobStore store, DataPaths paths, int attempts, DateTime? leaseExpiresAt = null)
    {
        var id = Guid.NewGuid();
        var clip = TestClips.MovingSquare(paths.JobDirectory(id), frames: 5, name: "input.avi");
        await store.AddAsync(new VideoJob
        {
            JobId = id,
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
            LeaseOwner = DeadOwner,
            LeaseExpiresAt = leaseExpiresAt ?? store.UtcNow.AddMinutes(5),
        }, CancellationToken.None);
        return id;
    }
}
