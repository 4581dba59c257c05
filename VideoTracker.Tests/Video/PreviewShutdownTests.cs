namespace VideoTracker.Tests.Video;

/// <summary>
/// The app as a real child process, stopped with SIGTERM as systemd or an orchestrator stops it while it encodes a
/// job's browser preview in the background: its ffmpeg must not outlive it (as an orphan that keeps writing a part
/// file, beside the encode that the next start begins).
/// </summary>
public sealed class PreviewShutdownTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _clips = new();

    [Fact]
    public async Task Sigterm_WhileAPreviewIsEncodedInTheBackground_KillsItsFfmpegAndLeavesNoPartFile()
    {
        var clip = await LongClip.CreateAsync(_clips.Path);
        using var app = await AppProcess.StartAsync(_data.Path, new Dictionary<string, string> { ["Jobs__PreparePreview"] = "true" });
        using var client = app.CreateClient();

        // The job itself ends after a few frames; its preview, started with it, goes on.
        var job = await client.SubmitAsync(clip, fields: new Dictionary<string, string> { ["max_frames"] = "5" });
        var folder = Path.Combine(_data.Path, "jobs", job.ToString("N"));
        var ffmpegs = await Poll.UntilAsync(
            () => Task.FromResult(ChildProcesses.Of(app.ProcessId, "ffmpeg", ".part.mp4")),
            found => found.Count > 0 && Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.part.mp4").Any(),
            TimeSpan.FromSeconds(60),
            TimeSpan.FromMilliseconds(50),
            _ => $"The preview's ffmpeg never started writing its part file:\n{app.Output}");

        app.Terminate();
        var exitCode = await app.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode is not null, $"The app did not exit within 30 s of SIGTERM:\n{app.Output}");
        Assert.All(ffmpegs, id => Assert.False(ChildProcesses.IsRunning(id), $"ffmpeg {id} outlived the app"));
        Assert.Empty(Directory.EnumerateFiles(folder, "*.part.mp4"));
        Assert.Contains("was stopped because the app is stopping", app.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _data.Dispose();
        _clips.Dispose();
    }
}
