using System.Collections.Concurrent;

namespace VideoTracker.Tests.Video;

/// <summary>ffprobe is found beside ffmpeg, and what it writes reaches people and the log cleaned and cut short.</summary>
public sealed class FfprobeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static string FfprobePath => new FfmpegLocator((string?)null).ProbePath ?? throw new InvalidOperationException("ffprobe is needed (scripts/deps.sh installs ffmpeg).");

    [Fact]
    public void ProbePath_WithFfmpegConfigured_IsTheFfprobeBesideIt_AndAConfiguredOneThatIsMissingIsNone()
    {
        var ffmpeg = _temp.Combine("ffmpeg");
        File.WriteAllText(ffmpeg, string.Empty);
        File.WriteAllText(_temp.Combine("ffprobe"), string.Empty);

        Assert.Equal(_temp.Combine("ffprobe"), new FfmpegLocator(ffmpeg).ProbePath);
        Assert.Null(new FfmpegLocator(ffmpeg, configuredProbePath: _temp.Combine("missing", "ffprobe")).ProbePath);
    }

    /// <summary>An ffmpeg or ffprobe missing when first looked for is looked for again, not missing until a restart.</summary>
    [Fact]
    public void Paths_MissingWhenFirstAskedForThenInstalled_AreFoundAtTheNextUse()
    {
        string ffmpeg = _temp.Combine("ffmpeg"), ffprobe = _temp.Combine("ffprobe");
        var locator = new FfmpegLocator(ffmpeg, configuredProbePath: ffprobe);
        Assert.Null(locator.Path);
        Assert.Null(locator.ProbePath);

        File.WriteAllText(ffmpeg, string.Empty);
        File.WriteAllText(ffprobe, string.Empty);

        Assert.Equal(ffmpeg, locator.Path);
        Assert.Equal(ffprobe, locator.ProbePath);
    }

    [Fact]
    public async Task ProbeAsync_TextUnderAHostileName_SaysNotMediaWithoutThePathOrControlCharacters()
    {
        var path = _temp.Combine("line\nbreak \u001b[31mred\u0007.mp4");
        await File.WriteAllTextAsync(path, "just some text, not a video\n");

        var report = await Ffprobe.ProbeAsync(FfprobePath, path, CancellationToken.None);

        Assert.NotNull(report);
        Assert.NotEqual(0, report.ExitCode);
        Assert.NotEmpty(report.Errors);
        Assert.All(report.Errors, e => Assert.DoesNotContain(e, c => char.IsControl(c)));
        Assert.All(report.Errors, e => Assert.DoesNotContain("red", e, StringComparison.Ordinal));
        Assert.Equal(UnreadableClips.NotMedia, UnreadableClips.Explain(report));
    }

    [Fact]
    public void Parse_LongOrManyErrorLines_AreCutToALimitAndLoseTheirControlCharacters()
    {
        var stderr = "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0c0ffee00] moov atom not found\n"
            + "file:/data/x.part: Invalid data found when \u001b[2Jprocessing input\r\n"
            + new string('x', 5000) + "\n"
            + string.Join('\n', Enumerable.Range(0, 50).Select(i => $"error {i}"));

        var report = Ffprobe.Parse(1, "{}", stderr, "file:/data/x.part", startsLikeMp4: true);

        Assert.NotNull(report);
        Assert.Equal("moov atom not found", report.Errors[0]);
        Assert.Equal("Invalid data found when [2Jprocessing input", report.Errors[1]);
        Assert.Equal(new string('x', Ffprobe.MaxLineLength) + "…", report.Errors[2]);
        Assert.Equal(8, report.Errors.Count);
        Assert.Equal(UnreadableClips.IndexMissing, UnreadableClips.Explain(report));
    }

    /// <summary>
    /// ffprobe stopped (past its time limit, or by the caller) while a process it left behind still holds its output open:
    /// the two readers of its output are ended and awaited before the probe returns, never left to fault (on the streams
    /// it disposes) with nobody to observe it.
    /// </summary>
    [Fact]
    public async Task ProbeAsync_StoppedWhileItsOutputIsStillOpen_LeavesNoReaderToFaultUnobserved()
    {
        var fake = FfmpegFrameReaderTests.StandIn(_temp.Combine("ffprobe"), "( (sleep 1; echo late; echo late >&2) & )\nexec sleep 60");
        var clip = _temp.Combine("clip.avi");
        File.WriteAllText(clip, "not read");
        var faults = new ConcurrentQueue<Exception>();
        void Unobserved(object? sender, UnobservedTaskExceptionEventArgs e) => faults.Enqueue(e.Exception);
        TaskScheduler.UnobservedTaskException += Unobserved;
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ffprobe.ProbeAsync(fake, clip, stop.Token));
            for (var i = 0; i < 20 && faults.IsEmpty; i++)
            {
                await Task.Delay(100);
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= Unobserved;
        }

        Assert.DoesNotContain(faults, e => e.ToString().Contains(typeof(Ffprobe).FullName!, StringComparison.Ordinal));
    }

    public void Dispose() => _temp.Dispose();
}
