using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using VideoTracker.Core.Storage;

namespace VideoTracker.Tests.Video;

/// <summary>
/// Two <see cref="PreviewVideos"/> on one data folder stand for two nodes: their guard is an OS file lock in the job
/// folder (as between processes), not anything in memory they could share.
/// </summary>
public sealed class PreviewVideosTests : IDisposable
{
    private const int Frames = 300;
    private readonly TempDirectory _temp = new();
    private readonly TestLifetime _lifetime = new();

    [Fact]
    public async Task GetOrCreateAsync_TwoNodesAskAtOnce_OneEncodesTheOtherWaitsAsPreparingAndBothGetTheWholePreview()
    {
        var paths = new DataPaths(_temp.Path);
        var job = NewJob(paths);
        ListLogger<PreviewVideos> firstLog = new(), secondLog = new();
        var first = NewPreviews(paths, firstLog);
        var second = NewPreviews(paths, secondLog);

        var making = first.GetOrCreateAsync(job, CancellationToken.None);
        var waiting = second.GetOrCreateAsync(job, CancellationToken.None);
        var statesSeen = new List<PreviewState>();
        while (!making.IsCompleted || !waiting.IsCompleted)
        {
            statesSeen.Add(second.StateOf(job.JobId));
            await Task.Delay(50);
        }

        var made = await Task.WhenAll(making, waiting);

        Assert.All(made, path => Assert.Equal(first.PathFor(job.JobId), path));
        Assert.Equal(Frames, SampleClips.CountDecodedFrames(made[0]));
        Assert.Equal(1, firstLog.Messages.Concat(secondLog.Messages).Count(m => m.Contains("was encoded on this node", StringComparison.Ordinal)));
        Assert.Equal(1, firstLog.Messages.Concat(secondLog.Messages).Count(m => m.Contains("is being encoded elsewhere", StringComparison.Ordinal)));
        Assert.Contains(statesSeen, s => s is PreviewState.Preparing);
        Assert.DoesNotContain(statesSeen.SkipWhile(s => s is not PreviewState.Preparing), s => s is PreviewState.NotStarted);
        Assert.Empty(Directory.EnumerateFiles(paths.JobDirectory(job.JobId), "*.part.mp4"));
    }

    [Fact]
    public async Task GetOrCreateAsync_AnotherProcessHoldsTheLockAndItsEncodeStalls_StopsWaitingAfterTheLimitAndTheHolderKeepsItsLock()
    {
        var paths = new DataPaths(_temp.Path);
        var job = NewJob(paths);
        var folder = paths.JobDirectory(job.JobId);
        using var holder = HoldLock(folder);
        File.WriteAllText(Path.Combine(folder, "preview.progress"), "12");
        var waiter = NewPreviews(paths, new ListLogger<PreviewVideos>(), stallSeconds: 1);

        var stalled = await Assert.ThrowsAsync<PreviewStalledException>(() => waiter.GetOrCreateAsync(job, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.StartsWith("The browser preview of this job is being encoded by another process", stalled.Message, StringComparison.Ordinal);
        Assert.Contains("has not advanced for 1 s (Jobs:PreviewStallSeconds)", stalled.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => HoldLock(folder));
        Assert.False(File.Exists(waiter.PathFor(job.JobId)));
    }

    [Fact]
    public async Task GetOrCreateAsync_TheHolderDiesWhileAnotherWaits_TheWaiterTakesTheLockAndEncodes()
    {
        var paths = new DataPaths(_temp.Path);
        var job = NewJob(paths);
        var holder = HoldLock(paths.JobDirectory(job.JobId));
        var waiter = NewPreviews(paths, new ListLogger<PreviewVideos>(), stallSeconds: 60);

        var waiting = waiter.GetOrCreateAsync(job, CancellationToken.None);
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted);
        holder.Dispose();

        Assert.Equal(Frames, SampleClips.CountDecodedFrames(await waiting.WaitAsync(TimeSpan.FromSeconds(60))));
    }

    /// <summary>
    /// Another node's encode, seen from its progress file alone, whose clock is ten years off this one's: the file's
    /// time is never compared with this node's clock. A file only ever seen as it is (a dead encode's) is not preparing;
    /// one seen to change is, its percent read from it, until it has stayed as it is for the stall limit.
    /// </summary>
    [Theory]
    [InlineData(-3650)]
    [InlineData(3650)]
    public async Task StateOf_AnotherNodesEncodeWhoseClockIsFarOff_IsPreparingWhileItsProgressChangesAndNotOnceItStops(int clockOffDays)
    {
        var paths = new DataPaths(_temp.Path);
        var job = NewJob(paths);
        var progress = Path.Combine(paths.JobDirectory(job.JobId), "preview.progress");
        var previews = NewPreviews(paths, new ListLogger<PreviewVideos>(), stallSeconds: 2);
        var theirClock = DateTime.UtcNow.AddDays(clockOffDays);
        void Write(int percent)
        {
            File.WriteAllText(progress, percent.ToString(CultureInfo.InvariantCulture));
            File.SetLastWriteTimeUtc(progress, theirClock);   // the same time each write: only the content changes
        }

        Write(10);
        Assert.IsNotType<PreviewState.Preparing>(previews.StateOf(job.JobId));

        // 3 s in all, longer than the limit, while the percent changes more often than that.
        for (var percent = 20; percent <= 60; percent += 10)
        {
            await Task.Delay(600);
            Write(percent);
            Assert.Equal(new PreviewState.Preparing(percent), previews.StateOf(job.JobId));
        }

        // The encode goes on without passing a percent: the file is rewritten as it was, at a later time of its node.
        await Task.Delay(600);
        File.SetLastWriteTimeUtc(progress, theirClock.AddSeconds(5));
        Assert.Equal(new PreviewState.Preparing(60), previews.StateOf(job.JobId));
        await Task.Delay(600);
        Assert.Equal(new PreviewState.Preparing(60), previews.StateOf(job.JobId));

        // Then nothing changes for longer than the limit: it stalled, or died.
        await Task.Delay(2500);
        Assert.IsNotType<PreviewState.Preparing>(previews.StateOf(job.JobId));
    }

    [Fact]
    public void DeleteAbandonedParts_NoEncoderHoldsTheLock_DeletesThisVersionsPartFilesAndTheOldFixedOne()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Path, "job")).FullName;
        File.WriteAllText(Path.Combine(folder, PreviewVideos.LockFileName), string.Empty);
        string[] parts = ["preview.0123abcd.part.mp4", "preview.part.mp4"];
        foreach (var part in parts)
        {
            File.WriteAllText(Path.Combine(folder, part), "partial");
        }

        File.WriteAllText(Path.Combine(folder, PreviewVideos.FileName), "whole");

        PreviewVideos.DeleteAbandonedParts(folder);

        Assert.All(parts, part => Assert.False(File.Exists(Path.Combine(folder, part)), part));
        Assert.True(File.Exists(Path.Combine(folder, PreviewVideos.FileName)));
    }

    /// <summary>
    /// A page opens the player on a node that has never seen the job's progress file, while another node encodes: it
    /// starts nothing of its own (no encode waiting on that node's lock) and says preparing. A file that then stays as
    /// it is for the stall limit was a dead encode's: the next page makes the preview.
    /// </summary>
    [Fact]
    public async Task StartForPage_AProgressFileNotYetJudged_StartsNothingAndIsPreparing_UntilItHasStayedAsItIsForTheLimit()
    {
        var paths = new DataPaths(_temp.Path);
        var job = NewJob(paths);
        var folder = paths.JobDirectory(job.JobId);
        var log = new ListLogger<PreviewVideos>();
        var previews = NewPreviews(paths, log, stallSeconds: 1);
        using (HoldLock(folder))
        {
            File.WriteAllText(Path.Combine(folder, "preview.progress"), "30");

            Assert.Equal(new PreviewState.Preparing(30), previews.StartForPage(job));
            await Task.Delay(500);
            Assert.DoesNotContain(log.Messages, m => m.Contains("is being encoded elsewhere", StringComparison.Ordinal));
        }

        await Task.Delay(1200);
        Assert.Equal(new PreviewState.Preparing(0), previews.StartForPage(job));
        Assert.Equal(Frames, SampleClips.CountDecodedFrames(await previews.GetOrCreateAsync(job, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60))));
    }

    /// <summary>
    /// A page opened on a job whose clip is gone (a restore that lacks it) starts no encode: there is nothing to encode,
    /// and each view would run ffmpeg on a missing file and log its failure. The player then finds no preview.
    /// </summary>
    [Fact]
    public async Task StartForPage_AJobWhoseClipIsGone_StartsNoEncodeAndLogsNothing()
    {
        var paths = new DataPaths(_temp.Path);
        var job = NewJob(paths);
        File.Delete(paths.ToAbsolute(job.StoredFilePath));
        var log = new ListLogger<PreviewVideos>();
        var previews = NewPreviews(paths, log);

        Assert.IsType<PreviewState.NotStarted>(previews.StartForPage(job));
        await Task.Delay(1000);

        Assert.IsType<PreviewState.NotStarted>(previews.StateOf(job.JobId));
        Assert.Empty(log.Messages);
        Assert.Empty(Directory.EnumerateFiles(paths.JobDirectory(job.JobId)));
    }

    /// <summary>What a node remembers of another node's progress goes once the preview is made: by its wait, or by a look that finds it ready.</summary>
    [Fact]
    public async Task WatchedProgress_IsForgotten_WhenTheWaitEndsWithThePreview_AndWhenALookFindsItReady()
    {
        var paths = new DataPaths(_temp.Path);
        var job = NewJob(paths);
        var folder = paths.JobDirectory(job.JobId);
        var progress = Path.Combine(folder, "preview.progress");
        var previews = NewPreviews(paths, new ListLogger<PreviewVideos>());
        var holder = HoldLock(folder);
        File.WriteAllText(progress, "5");
        var waiting = previews.GetOrCreateAsync(job, CancellationToken.None);
        await Task.Delay(600);
        Assert.Equal(1, previews.WatchedProgressFiles);
        await holder.DisposeAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, previews.WatchedProgressFiles);

        var other = NewJob(paths);
        File.WriteAllText(Path.Combine(paths.JobDirectory(other.JobId), "preview.progress"), "5");
        Assert.IsType<PreviewState.NotStarted>(previews.StateOf(other.JobId));
        Assert.Equal(1, previews.WatchedProgressFiles);
        File.Copy(previews.PathFor(job.JobId), previews.PathFor(other.JobId));
        Assert.IsType<PreviewState.Ready>(previews.StateOf(other.JobId));
        Assert.Equal(0, previews.WatchedProgressFiles);
    }

    [Fact]
    public async Task GetOrCreateAsync_FreeSpaceBelowMinFreeBytes_RefusesAsDiskFullWithoutEncoding()
    {
        var paths = new DataPaths(_temp.Path);
        var job = NewJob(paths);
        var folder = paths.JobDirectory(job.JobId);
        var log = new ListLogger<PreviewVideos>();
        var previews = NewPreviews(paths, log, minFreeBytes: new DriveInfo(folder).AvailableFreeSpace + (1L << 30));
        var before = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToArray();

        var started = Stopwatch.GetTimestamp();
        var refused = await Assert.ThrowsAsync<DiskFullException>(() => previews.GetOrCreateAsync(job, CancellationToken.None));

        Assert.Equal(DiskFull.GeneralDetail, refused.Message);
        Assert.True(DiskFull.Is(refused));
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(2), "no encode ran");
        Assert.DoesNotContain(log.Messages, m => m.Contains("was encoded on this node", StringComparison.Ordinal));
        Assert.Equal(before, Directory.GetFiles(folder).Where(f => Path.GetFileName(f) != PreviewVideos.LockFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetOrCreateAsync_TheAppStopsDuringTheEncode_KillsFfmpegAndLeavesNoPartFile()
    {
        var paths = new DataPaths(_temp.Path);
        var job = await NewLongJobAsync(paths);
        var folder = paths.JobDirectory(job.JobId);
        var log = new ListLogger<PreviewVideos>();
        using var lifetime = new TestLifetime();
        var previews = NewPreviews(paths, log, lifetime: lifetime);

        var making = previews.GetOrCreateAsync(job, CancellationToken.None);
        var ffmpegs = await EncodeWritingAsync(folder);
        lifetime.StopApplication();
        await ((IHostedService)previews).StopAsync(CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => making.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.All(ffmpegs, id => Assert.False(ChildProcesses.IsRunning(id), $"ffmpeg {id} still runs"));
        Assert.DoesNotContain(Directory.EnumerateFiles(folder, "preview.*"), f => Path.GetFileName(f) != PreviewVideos.LockFileName);
        Assert.Single(log.Messages, m => m.Contains("was stopped because the app is stopping", StringComparison.Ordinal));
    }

    /// <summary>
    /// The host waits for the stopped encodes only until its shutdown timeout, and the container then disposes what it
    /// made: an encode that ends after that still ends as stopped, not with an <see cref="ObjectDisposedException"/> for
    /// the encode slot it gives back (logged as a failed preview).
    /// </summary>
    [Fact]
    public async Task GetOrCreateAsync_TheEncodeEndsAfterTheHostGaveUpWaitingAndDisposedTheServices_EndsAsStopped()
    {
        var paths = new DataPaths(_temp.Path);
        var job = await NewLongJobAsync(paths);
        var log = new ListLogger<PreviewVideos>();
        using var lifetime = new TestLifetime();
        var services = new ServiceCollection().AddSingleton(_ => NewPreviews(paths, log, lifetime: lifetime)).BuildServiceProvider();
        var previews = services.GetRequiredService<PreviewVideos>();

        var making = previews.GetOrCreateAsync(job, CancellationToken.None);
        await EncodeWritingAsync(paths.JobDirectory(job.JobId));
        lifetime.StopApplication();
        await ((IHostedService)previews).StopAsync(new CancellationToken(canceled: true)); // the shutdown timeout has passed
        await services.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => making.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// A burst of short jobs starts a preview each: the node encodes <c>Jobs:Workers</c> of them at a time, not one ffmpeg
    /// per queued job at once (a 12-job burst of 768×576 clips had 12 encodes and 1.5 GB of ffmpeg running together).
    /// </summary>
    [Fact]
    public async Task StartInBackground_ManyJobsAtOnce_EncodesAsManyAtATimeAsThereAreWorkers_AndMakesEveryPreview()
    {
        var paths = new DataPaths(_temp.Path);
        var jobs = Enumerable.Range(0, 4).Select(_ => NewJob(paths)).ToArray();
        var previews = NewPreviews(paths, new ListLogger<PreviewVideos>(), workers: 1);

        foreach (var job in jobs)
        {
            previews.StartInBackground(job);
        }

        var mostAtOnce = 0;
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 120;
        while (!jobs.All(j => File.Exists(previews.PathFor(j.JobId))) && Stopwatch.GetTimestamp() < deadline)
        {
            mostAtOnce = Math.Max(mostAtOnce, ChildProcesses.Of(Environment.ProcessId, "ffmpeg", _temp.Path).Count);
            await Task.Delay(20);
        }

        Assert.All(jobs, j => Assert.Equal(Frames, SampleClips.CountDecodedFrames(previews.PathFor(j.JobId))));
        Assert.Equal(1, mostAtOnce);
    }

    [Theory]
    [InlineData("ffmpeg exited with code 0: Error writing trailer of {part}: No space left on device | Error closing file {part}: No space left on device")]
    [InlineData("ffmpeg exited with code 1: [out#0/mp4 @ 0x55d] Error muxing a packet | {part}: Disk quota exceeded")]
    public void EncodeFailure_FfmpegFoundTheDiskFull_IsTheDiskFullErrorWithoutPaths(string said)
    {
        var folder = Path.Combine(_temp.Path, "jobs", "3f2504e04f8911d39a0c0305e82c3301");
        var part = Path.Combine(folder, "preview.0123abcd.part.mp4");

        var failure = PreviewVideos.EncodeFailure(said.Replace("{part}", part, StringComparison.Ordinal));

        Assert.IsType<DiskFullException>(failure);
        Assert.True(DiskFull.Is(failure));
        Assert.Equal(DiskFull.GeneralDetail, failure.Message);
    }

    [Fact]
    public void EncodeFailure_AnyOtherFfmpegError_IsAFixedSentence_WhatFfmpegSaidKeptForTheLog()
    {
        var folder = Path.Combine(_temp.Path, "jobs", "3f2504e04f8911d39a0c0305e82c3301");
        var said = $"ffmpeg exited with code 183: [vist#0:0 @ 0x1] Error opening input file {Path.Combine(folder, "input.avi")}.";

        var failure = PreviewVideos.EncodeFailure(said);

        var tool = Assert.IsType<VideoToolException>(failure);
        Assert.Equal(PreviewVideos.EncodeFailedDetail, tool.Message);
        Assert.Equal(said, tool.InnerException?.Message);
    }

    private static VideoJob NewJob(DataPaths paths)
    {
        var id = Guid.NewGuid();
        var input = TestClips.MovingSquare(paths.JobDirectory(id), frames: Frames, width: 320, height: 240, name: "input.avi");
        return new VideoJob { JobId = id, PluginId = "opencv-classic", Tool = "video_motion_detection", OriginalFileName = "input.avi", StoredFilePath = paths.ToRelative(input) };
    }

    /// <summary>A job on a clip whose preview takes seconds to encode.</summary>
    private static async Task<VideoJob> NewLongJobAsync(DataPaths paths)
    {
        var id = Guid.NewGuid();
        var input = await LongClip.CreateAsync(paths.JobDirectory(id), name: "input.avi");
        return new VideoJob { JobId = id, PluginId = "opencv-classic", Tool = "video_motion_detection", OriginalFileName = "input.avi", StoredFilePath = paths.ToRelative(input) };
    }

    /// <summary>The ffmpeg of the encode in <paramref name="folder"/>, once it writes its part file.</summary>
    private static Task<IReadOnlyList<int>> EncodeWritingAsync(string folder) => Poll.UntilAsync(
        () => Task.FromResult(ChildProcesses.Of(Environment.ProcessId, "ffmpeg", folder)),
        found => found.Count > 0 && Directory.EnumerateFiles(folder, "*.part.mp4").Any(),
        TimeSpan.FromSeconds(60),
        TimeSpan.FromMilliseconds(50),
        _ => "The preview's ffmpeg never started writing its part file.");

    private PreviewVideos NewPreviews(
        DataPaths paths, ListLogger<PreviewVideos> logger, int stallSeconds = 300, long minFreeBytes = 0, IHostApplicationLifetime? lifetime = null, int workers = 1) =>
        new(paths, new JobFiles(paths, NullLogger<JobFiles>.Instance), new FfmpegLocator((string?)null),
            Microsoft.Extensions.Options.Options.Create(new JobsOptions { PreviewStallSeconds = stallSeconds, Workers = workers }),
            Microsoft.Extensions.Options.Options.Create(new StorageOptions { MinFreeBytes = minFreeBytes }), lifetime ?? _lifetime, logger);

    /// <summary>The job's preview lock, held as another process's encoder holds it (exclusively) until disposed.</summary>
    private static FileStream HoldLock(string folder) =>
        new(Path.Combine(folder, PreviewVideos.LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

    public void Dispose()
    {
        _lifetime.Dispose();
        _temp.Dispose();
    }
}
