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

    private static VideoJob NewJob(DataPaths paths)
    {
        var id = Guid.NewGuid();
        var input = TestClips.MovingSquare(paths.JobDirectory(id), frames: Frames, width: 320, height: 240, name: "input.avi");
        return new VideoJob { JobId = id, PluginId = "opencv-classic", Tool = "video_motion_detection", OriginalFileName = "input.avi", StoredFilePath = paths.ToRelative(input) };
    }

    private static PreviewVideos NewPreviews(DataPaths paths, ListLogger<PreviewVideos> logger) =>
        new(paths, new JobFiles(paths, NullLogger<JobFiles>.Instance), new FfmpegLocator((string?)null), logger);

    public void Dispose() => _temp.Dispose();
}
