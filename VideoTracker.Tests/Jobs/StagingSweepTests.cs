namespace VideoTracker.Tests.Jobs;

/// <summary>An upload's part file left behind by a crash is deleted once it is a day old; a live or just-staged one never is.</summary>
public sealed class StagingSweepTests : IDisposable
{
    private readonly VideoTrackerAppFactory _factory = new();

    private string Staging => Path.Combine(_factory.DataDirectory, "staging");

    [Fact]
    public async Task Start_PartFilesUntouchedForADay_AreDeletedAndRecentOnesKept()
    {
        var crashed = StagedFile("crashed.part", TimeSpan.FromHours(25));
        var recent = StagedFile("recent.part", TimeSpan.FromHours(1));

        using var client = _factory.CreateClient();

        await Poll.UntilAsync(() => Task.FromResult(File.Exists(crashed)), exists => !exists, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50),
            _ => $"{crashed} was still there 30 s after start-up");
        Assert.True(File.Exists(recent));
    }

    [Fact]
    public async Task Sweep_ClipStagedAgainForARerun_IsKeptThoughTheClipIsOld()
    {
        using var client = _factory.CreateClient();
        var clip = TestClips.MovingSquare(_factory.Clips.Combine("old"), frames: 5);
        File.SetLastWriteTimeUtc(clip, DateTime.UtcNow.AddDays(-30));

        var staged = await _factory.Services.GetRequiredService<JobSubmitter>().StageExistingAsync(clip, "old.avi", CancellationToken.None);
        var deleted = _factory.Services.GetRequiredService<StagingSweep>().Sweep();

        Assert.NotNull(staged);
        Assert.True(File.Exists(staged.Path));
        Assert.Equal(0, deleted);

        // The link shares the clip's inode: the source keeps its time (its /video Last-Modified and ETag).
        Assert.Equal(DateTime.UtcNow.AddDays(-30), File.GetLastWriteTimeUtc(clip), TimeSpan.FromMinutes(1));
    }

    private string StagedFile(string name, TimeSpan age)
    {
        Directory.CreateDirectory(Staging);
        var path = Path.Combine(Staging, name);
        File.WriteAllBytes(path, new byte[1024]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    public void Dispose() => _factory.Dispose();
}
