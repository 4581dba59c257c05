using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace VideoTracker.Tests.Jobs;

/// <summary>An upload's part file or a rerun's link left behind by a crash is deleted once it is a day old; a live or just-staged one never is.</summary>
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

    /// <summary>
    /// A process that crashed between staging a rerun's clip and submitting it, a day ago, left its hard link: it goes,
    /// though the link's own times are the source clip's, which stay as they were (its /video Last-Modified and ETag).
    /// </summary>
    [Fact]
    public async Task Sweep_ALinkStagedForARerunMoreThanADayAgo_IsDeletedAndAFreshOneAndTheSourceClipAreKept()
    {
        using var client = _factory.CreateClient();
        var clip = TestClips.MovingSquare(_factory.Clips.Combine("old"), frames: 5);
        var clipTime = DateTime.UtcNow.AddDays(-30);
        File.SetLastWriteTimeUtc(clip, clipTime);
        var submitter = _factory.Services.GetRequiredService<JobSubmitter>();
        var fresh = await submitter.StageExistingAsync(clip, "old.avi", CancellationToken.None);
        var crashed = await submitter.StageExistingAsync(clip, "old.avi", CancellationToken.None);
        var leftover = Path.Combine(Staging, StagingSweep.LinkName(DateTimeOffset.UtcNow.AddHours(-25)));
        File.Move(crashed!.Path, leftover);

        _factory.Services.GetRequiredService<StagingSweep>().Sweep();

        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(fresh!.Path));
        Assert.True(File.Exists(clip));
        Assert.Equal(clipTime, File.GetLastWriteTimeUtc(clip));
    }

    /// <summary>An earlier version named its links without their time: one counts from when the sweep first saw it.</summary>
    [Fact]
    public void Sweep_ALinkNamedWithoutItsTime_IsDeletedADayAfterTheSweepFirstSawIt()
    {
        var legacy = StagedFile($"{Guid.NewGuid():N}{StagingSweep.LinkSuffix}", TimeSpan.FromDays(30));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sweep = new StagingSweep(new DataPaths(_factory.DataDirectory), time, NullLogger<StagingSweep>.Instance);

        Assert.Equal(0, sweep.Sweep());
        time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, sweep.Sweep());
        Assert.True(File.Exists(legacy));
        time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(1, sweep.Sweep());
        Assert.False(File.Exists(legacy));
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
