using Microsoft.Extensions.Logging;

namespace VideoTracker.Tests.Jobs;

/// <summary>
/// A job whose results do not fit on the disk fails once, with the disk-full reason, even when the database is full as
/// well as its failure is saved; one whose results fit completes once, also when the database is full as its completion is saved. Two real tmpfs mounts: the job folders on a small one that is filled (the kernel's
/// own ENOSPC), and the whole data folder with the SQLite file on another, where a trigger makes the failure's UPDATE
/// write more than the disk holds, so SQLite itself answers <c>SQLITE_FULL</c> for exactly that write.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class DiskFullFailureTests : IDisposable
{
    private readonly VideoTrackerAppFactory _factory = new();
    private readonly ListLoggerProvider _log = new();
    private readonly TempDirectory _temp = new();
    private readonly SmallDisk? _database;
    private readonly SmallDisk? _jobs;

    public DiskFullFailureTests()
    {
        _factory.Settings["Jobs:LeaseSeconds"] = "4";
        _factory.Settings["Jobs:HeartbeatSeconds"] = "1";
        _factory.ConfigureServices = services => services.AddSingleton<ILoggerProvider>(_log);
        if (SmallDisk.SkipReason() is not null)
        {
            return;
        }

        _database = SmallDisk.Mount(_factory.DataDirectory, 32);
        _jobs = SmallDisk.Mount(_temp.Combine("jobs-disk"), 4);
        foreach (var folder in new[] { "jobs", "staging" })
        {
            Directory.CreateDirectory(Path.Combine(_jobs.Path, folder));
            Directory.CreateSymbolicLink(Path.Combine(_factory.DataDirectory, folder), Path.Combine(_jobs.Path, folder));
        }
    }

    [SmallDiskFact]
    public async Task Fail_WhenTheDatabaseIsFullForAMoment_RetriesAndFailsTheJobOnceSayingTheDiskIsFull()
    {
        using var client = _factory.CreateClient();
        var job = await RunWhileBothDisksAreFullAsync(client);
        var done = await RetriedUntilTheDatabaseHasRoomAsync(client, job, "failure");

        Assert.Equal("failed", done.Status());
        Assert.Equal(DiskFull.JobDetail, done.GetProperty("error").GetString());
        Assert.Equal(0, _log.Count($"Job {job}: its failure could not be saved"));
    }

    [SmallDiskFact]
    public async Task Fail_WhenTheDatabaseStaysFull_LogsTheReasonAndTheSweepFailsTheJobOnceTheDiskHasRoomWithoutRunningItAgain()
    {
        using var client = _factory.CreateClient();
        var job = await RunWhileBothDisksAreFullAsync(client);
        await _log.WaitForAsync($"Job {job}: its failure could not be saved");

        // The reason is in the log before any write of it was tried.
        var lines = _log.Lines.ToList();
        var reason = lines.FindIndex(l => l.Contains($"Job {job} failed after", StringComparison.Ordinal) && l.Contains(DiskFull.JobDetail, StringComparison.Ordinal));
        Assert.InRange(reason, 0, lines.FindIndex(l => l.Contains($"Job {job}: saving its failure failed (try 1)", StringComparison.Ordinal)) - 1);

        await _log.WaitForAsync($"Job {job}: its failure still cannot be saved");
        var done = await StaysRunningUntilTheDatabaseHasRoomAsync(client, job);

        Assert.Equal("failed", done.Status());
        Assert.Equal(DiskFull.JobDetail, done.GetProperty("error").GetString());
        await _log.WaitForAsync($"Job {job}: its failure was saved by the recovery sweep", timeoutSeconds: 5);   // written just after the row
    }

    /// <summary>A job whose results fit, and whose completion meets the full database: retried, as its failure would be.</summary>
    [SmallDiskFact]
    public async Task Complete_WhenTheDatabaseIsFullForAMoment_RetriesAndCompletesTheJobOnce()
    {
        using var client = _factory.CreateClient();
        var job = await SubmitWhileTheDatabaseIsFullAsCompletedAsync(client);
        var done = await RetriedUntilTheDatabaseHasRoomAsync(client, job, "completion");

        Assert.Equal("completed", done.Status());
        Assert.Equal(1, _log.Count($"Job {job} finished"));
    }

    [SmallDiskFact]
    public async Task Complete_WhenTheDatabaseStaysFull_LeavesTheJobRunningAndTheSweepCompletesItFromItsResultsOnceTheDiskHasRoom()
    {
        using var client = _factory.CreateClient();
        var job = await SubmitWhileTheDatabaseIsFullAsCompletedAsync(client);
        await _log.WaitForAsync($"Job {job}: the database was away or full while its end was saved");
        var done = await StaysRunningUntilTheDatabaseHasRoomAsync(client, job);

        Assert.Equal("completed", done.Status());
        var results = (await client.GetJsonAsync($"/v1/video/results/{job}")).GetProperty("results");
        Assert.Equal(Enumerable.Range(0, 60), results.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("frame_index").GetInt32()));
    }

    /// <summary>
    /// Saving any job as failed writes 64 MiB into the database, on a disk of 32 MiB, from now on; the job is submitted
    /// with room on the jobs disk for its upload, to the page, and not a byte more, so its first results write fails.
    /// Returns once the runner logged why the job failed (the old runner never did: its failure write threw first).
    /// </summary>
    private async Task<Guid> RunWhileBothDisksAreFullAsync(HttpClient client)
    {
        await FillTheDatabaseWhenAJobEndsAsync("failed");
        var clip = TestClips.MovingSquare(_factory.Clips.Combine("clips"), frames: 60);
        const int Page = 4096;
        _jobs!.FillLeaving((new FileInfo(clip).Length + Page - 1) / Page * Page);
        var job = await client.SubmitAsync(clip);
        await _log.WaitForAsync($"Job {job} failed after");
        return job;
    }

    /// <summary>A job whose results fit on the jobs disk, and whose completion will not fit in the database.</summary>
    private async Task<Guid> SubmitWhileTheDatabaseIsFullAsCompletedAsync(HttpClient client)
    {
        await FillTheDatabaseWhenAJobEndsAsync("completed");
        var job = await client.SubmitAsync(TestClips.MovingSquare(_factory.Clips.Combine("clips"), frames: 60));
        await _log.WaitForAsync($"Job {job} started");
        return job;
    }

    /// <summary>
    /// Its worker retries saving its <paramref name="ending"/> (failure or completion); the database has room meanwhile,
    /// and the worker saves it, on the job's first run: returns its status then.
    /// </summary>
    private async Task<JsonElement> RetriedUntilTheDatabaseHasRoomAsync(HttpClient client, Guid job, string ending)
    {
        await _log.WaitForAsync($"Job {job}: saving its {ending} failed (try 1)");
        await EmptyTheDatabaseDiskAsync();
        var done = await client.WaitForTerminalAsync(job);
        Assert.Equal(0, done.GetProperty("attempts").GetInt32());
        Assert.Equal(1, _log.Count($"Job {job} started"));
        return done;
    }

    /// <summary>
    /// Its lease runs out (4 s) and the sweep passes every second: the job stays running, neither ended otherwise nor
    /// queued nor run again. Then the database has room, and the job's end is saved by the sweep: returns its status then.
    /// </summary>
    private async Task<JsonElement> StaysRunningUntilTheDatabaseHasRoomAsync(HttpClient client, Guid job)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal("running", (await client.GetStatusAsync(job)).Status());

        await EmptyTheDatabaseDiskAsync();
        var done = await client.WaitForTerminalAsync(job, timeoutSeconds: 30);
        Assert.Equal(0, done.GetProperty("attempts").GetInt32());
        Assert.Equal(1, _log.Count($"Job {job} started"));
        return done;
    }

    /// <summary>From now on, saving any job as <paramref name="status"/> writes 64 MiB into the database, on a disk of 32 MiB.</summary>
    private Task FillTheDatabaseWhenAJobEndsAsync(string status) => _factory.ExecuteSqlAsync($"""
        CREATE TABLE ballast (b BLOB);
        CREATE TRIGGER fill_on_end BEFORE UPDATE OF status ON jobs WHEN NEW.status = '{status}'
        BEGIN
          INSERT INTO ballast VALUES (zeroblob(64 * 1024 * 1024));
        END;
        """, Guid.Empty);

    /// <summary>Space is freed: the ending's write no longer grows the database.</summary>
    private Task EmptyTheDatabaseDiskAsync() => _factory.ExecuteSqlAsync("DROP TRIGGER fill_on_end;", Guid.Empty);

    public void Dispose()
    {
        _factory.Dispose();
        _jobs?.Dispose();
        _database?.Dispose();
        _temp.Dispose();
    }
}
