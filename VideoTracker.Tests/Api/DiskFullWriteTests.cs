using Microsoft.Extensions.Logging;

namespace VideoTracker.Tests.Api;

/// <summary>
/// A full disk is named as such. The app's uploads and job folders live on a small tmpfs that fills for real
/// (the kernel's own ENOSPC); the SQLite file stays on the ordinary disk, like a database on its own volume.
/// </summary>
public sealed class DiskFullWriteTests : IDisposable
{
    private const int DiskMegabytes = 4;

    private readonly VideoTrackerAppFactory _factory = new();
    private readonly TempDirectory _temp = new();
    private readonly SmallDisk? _disk;

    public DiskFullWriteTests()
    {
        if (SmallDisk.SkipReason() is not null)
        {
            return;
        }

        _disk = SmallDisk.Mount(_temp.Combine("small-disk"), DiskMegabytes);
        foreach (var folder in new[] { "jobs", "staging" })
        {
            Directory.CreateDirectory(Path.Combine(_disk.Path, folder));
            Directory.CreateSymbolicLink(Path.Combine(_factory.DataDirectory, folder), Path.Combine(_disk.Path, folder));
        }
    }

    private SmallDisk Disk => _disk!;

    [SmallDiskFact]
    public async Task Submit_UploadLargerThanTheFreeSpace_Returns507SayingTheDiskIsFullAndKeepsNothing()
    {
        using var client = _factory.CreateClient();
        var free = Disk.FreeBytes;
        var clip = _factory.Clips.Combine("big.avi");
        await File.WriteAllBytesAsync(clip, new byte[(DiskMegabytes + 2) << 20]);

        using var form = ApiClient.SubmitForm(clip);
        var (status, problem) = await client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = form });

        Assert.Equal(HttpStatusCode.InsufficientStorage, status);
        Assert.Equal(DiskFull.RequestDetail, problem.Detail());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Disk.Path, "staging")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Disk.Path, "jobs")));
        Assert.Equal(free, Disk.FreeBytes);
        Assert.Equal(0, (await client.GetJsonAsync("/v1/jobs")).GetProperty("count").GetInt32());
    }

    [SmallDiskFact]
    public async Task Run_ResultsDoNotFitOnTheDisk_FailsTheJobSayingTheDiskIsFull()
    {
        using var client = _factory.CreateClient();
        var clip = TestClips.MovingSquare(_factory.Clips.Combine("clips"), frames: 60);

        // Room for the upload, to the page, and not a byte more: the job's first results write fails.
        const int Page = 4096;
        Disk.FillLeaving((new FileInfo(clip).Length + Page - 1) / Page * Page);
        var job = await client.SubmitAsync(clip);
        var done = await client.WaitForTerminalAsync(job);

        Assert.Equal("failed", done.Status());
        Assert.Equal(DiskFull.JobDetail, done.GetProperty("error").GetString());
        Assert.Equal(["input.avi"], Directory.EnumerateFileSystemEntries(Path.Combine(Disk.Path, "jobs", job.ToString("N"))).Select(Path.GetFileName));
    }

    [SmallDiskFact]
    public async Task Preview_TheDiskIsFullWhenItIsEncoded_Is507WithoutPathsAndIsNotEncodedAgainNorLeavesFiles()
    {
        var log = new ListLogger<PreviewVideos>();
        _factory.ConfigureServices = services => services.AddSingleton<ILogger<PreviewVideos>>(log);
        using var client = _factory.CreateClient();
        var job = await client.SubmitCompletedAsync(TestClips.MovingSquare(_factory.Clips.Path, frames: 60));
        var folder = Path.Combine(Disk.Path, "jobs", job.ToString("N"));
        var before = Directory.GetFileSystemEntries(folder).Order(StringComparer.Ordinal).ToArray();

        // Not a byte left for the preview, nor for its progress: ffmpeg's own writes find the disk full.
        Disk.FillLeaving(0);
        var (first, firstProblem) = await client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{job}/preview"));
        var (again, againProblem) = await client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{job}/preview"));

        Assert.Equal((HttpStatusCode.InsufficientStorage, DiskFull.GeneralDetail), (first, firstProblem.Detail()));
        Assert.Equal((HttpStatusCode.InsufficientStorage, DiskFull.GeneralDetail), (again, againProblem.Detail()));
        Assert.Single(log.Messages, m => m.Contains("the disk became full", StringComparison.Ordinal));
        Assert.Single(log.Messages, m => m.Contains("was not encoded", StringComparison.Ordinal));
        Assert.Equal(before, Directory.GetFileSystemEntries(folder).Where(f => Path.GetFileName(f) != PreviewVideos.LockFileName).Order(StringComparer.Ordinal));

        // Once space is freed, the next request encodes.
        File.Delete(Path.Combine(Disk.Path, "filler.bin"));
        using var preview = await client.GetAsync($"/v1/jobs/{job}/preview");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
    }

    [SmallDiskFact]
    public async Task HealthReady_TheDiskIsFull_SaysSoAndLeavesNoProbeFileBehind()
    {
        using var client = _factory.CreateAnonymousClient();
        Disk.FillLeaving(0);

        for (var probe = 0; probe < 3; probe++)
        {
            using var response = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var folder = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("data_folder");
            Assert.Equal("The data folder's disk is full.", folder.GetProperty("description").GetString());
        }

        // Each probe's empty file, which a full disk still lets it create, is gone with it.
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Disk.Path, "staging")));
    }

    public void Dispose()
    {
        _factory.Dispose();
        _disk?.Dispose();
        _temp.Dispose();
    }
}
