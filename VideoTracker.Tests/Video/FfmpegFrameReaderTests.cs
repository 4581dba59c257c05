using OpenCvSharp;

namespace VideoTracker.Tests.Video;

/// <summary>Debian's ffmpeg, run as a child process, decodes the same frames at the same times as OpenCV, already scaled.</summary>
public sealed class FfmpegFrameReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    internal static string Ffmpeg => new FfmpegLocator((string?)null).Path ?? throw new InvalidOperationException("ffmpeg is needed (scripts/deps.sh installs it).");

    [SharedAssetFact(SharedAsset.Sample)]
    public async Task Read_Vtest_GivesEveryFrameOpenCvDecodesAtItsTimeAndScaled()
    {
        const int Width = 416, Height = 312;
        var opencvTimes = new List<double>();
        using var capture = new VideoCapture(TestClips.SampleClip);
        var clock = new FrameClock(capture.Fps);
        var ffmpegClock = new FrameClock(capture.Fps);
        using var frame = new Mat();
        using var expected = new Mat();
        var reader = FfmpegFrameReader.Start(Ffmpeg, TestClips.SampleClip, Width, Height);
        await using (reader)
        {
            var pixels = new byte[reader.FrameBytes];
            var times = new List<double>();
            var differences = new List<double>();
            while (reader.Read(pixels, out var ms, CancellationToken.None))
            {
                times.Add(ffmpegClock.Next(ms));
                Assert.True(capture.Read(frame) && !frame.Empty(), $"ffmpeg gave a frame {times.Count} that OpenCV does not decode.");
                opencvTimes.Add(clock.Next(capture));
                if (times.Count % 100 == 1)
                {
                    // The same picture: OpenCV's frame, scaled by OpenCV, against ffmpeg's scaled frame.
                    Cv2.Resize(frame, expected, new Size(Width, Height), 0, 0, InterpolationFlags.Area);
                    using var actual = Mat.FromPixelData(Height, Width, MatType.CV_8UC3, pixels);
                    differences.Add(Cv2.Norm(expected, actual, NormTypes.L1) / (Width * Height * 3));
                }
            }

            Assert.False(capture.Read(frame) && !frame.Empty(), "OpenCV decodes more frames than ffmpeg gave.");
            Assert.Equal(795, times.Count);
            Assert.Equal(opencvTimes, times);
            Assert.All(differences, d => Assert.True(d < 4, $"Mean absolute difference {d:0.00} per channel (of 255)."));
            Assert.False(reader.Read(pixels, out _, CancellationToken.None), "The end stays the end.");
        }
    }

    [Fact]
    public async Task Read_FfmpegFailsPartWay_GivesItsFramesThenFailsWithItsWords()
    {
        // A stand-in ffmpeg that writes two 4x2 frames (and their showinfo lines), complains and exits 1: a real
        // child process ending badly.
        var script = StandIn(_temp.Combine("ffmpeg"), Frames(2, 24) + "\necho 'Error while decoding stream #0:0: Invalid data found' >&2\nexit 1");

        var reader = FfmpegFrameReader.Start(script, "clip.mp4", 4, 2);
        await using (reader)
        {
            var pixels = new byte[reader.FrameBytes];
            var times = new List<double>();
            var error = Assert.Throws<VideoToolException>(() =>
            {
                while (reader.Read(pixels, out var ms, CancellationToken.None))
                {
                    times.Add(ms);
                }
            });

            Assert.Equal([0, 40], times);
            Assert.Equal("Decoding stopped after 2 frames. ffmpeg exited with code 1: Error while decoding stream #0:0: Invalid data found", error.Message);
        }
    }

    /// <summary>
    /// Every detection job decodes through a reader: once disposed, none of its pipes from ffmpeg stays open in this
    /// process. Process.Dispose leaves a stream that was handed out (StandardOutput, StandardError) to its reader, and
    /// they waited for the garbage collector: two descriptors a job.
    /// </summary>
    [Fact]
    public async Task DisposeAsync_AfterTheLastFrame_ClosesThisProcessEndsOfFfmpegsPipes()
    {
        const int Width = 320, Height = 240;
        var clip = TestClips.MovingSquare(_temp.Path, frames: 5, width: Width, height: Height, name: "pipes.avi");
        var reader = FfmpegFrameReader.Start(Ffmpeg, clip, Width, Height);

        // ffmpeg waits on its full stdout (a frame is larger than the pipe's buffer) until it is read, so it is there to look at.
        var child = (await Poll.UntilAsync(
            () => Task.FromResult(ChildProcesses.Of(Environment.ProcessId, "ffmpeg", clip)),
            found => found.Count == 1,
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(20),
            _ => "ffmpeg did not start."))[0];
        var pipes = new[] { 1, 2 }.Select(fd => PipeOf($"/proc/{child}/fd/{fd}")).ToArray();
        Assert.All(pipes, pipe => Assert.StartsWith("pipe:", pipe, StringComparison.Ordinal));
        Assert.All(pipes, pipe => Assert.Contains(pipe, OpenDescriptors()));

        var pixels = new byte[reader.FrameBytes];
        var frames = 0;
        while (reader.Read(pixels, out _, CancellationToken.None))
        {
            frames++;
        }

        await reader.DisposeAsync();

        Assert.Equal(5, frames);
        Assert.All(pipes, pipe => Assert.DoesNotContain(pipe, OpenDescriptors()));
        GC.KeepAlive(reader);
    }

    /// <summary>What each of this process's open file descriptors points at (<c>pipe:[inode]</c> for a pipe).</summary>
    private static List<string?> OpenDescriptors() => [.. Directory.EnumerateFileSystemEntries("/proc/self/fd").Select(PipeOf)];

    private static string? PipeOf(string descriptor)
    {
        try
        {
            return new FileInfo(descriptor).LinkTarget;
        }
        catch (IOException)
        {
            return null; // closed meanwhile
        }
    }

    [Fact]
    public async Task LinesUpWith_ClipWithRotationMetadata_IsFalseSoOpenCvDecodesIt()
    {
        // The same H.264 clip without and with a 90° display rotation (what phones write for portrait video).
        var plain = _temp.Combine("plain.mp4");
        var rotated = _temp.Combine("rotated.mp4");
        await VariableFrameRateClip.RunAsync(Ffmpeg, "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p", plain);
        await VariableFrameRateClip.RunAsync(Ffmpeg, "-v", "error", "-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated);

        Assert.True(LinesUp(plain));
        Assert.False(LinesUp(rotated));
    }

    private static bool LinesUp(string clip)
    {
        using var capture = new VideoCapture(clip);
        return FfmpegFrameReader.LinesUpWith(capture, VideoProbe.ReadInfo(capture));
    }

    /// <summary>Shell lines that write <paramref name="count"/> black frames of <paramref name="bytes"/> each, 40 ms apart, as ffmpeg with showinfo does.</summary>
    internal static string Frames(int count, int bytes) =>
        $"for i in $(seq 0 {count - 1}); do echo \"[Parsed_showinfo_1 @ 0x1] n: $i pts: $i pts_time:0.0$((i * 4))\" >&2; head -c {bytes} /dev/zero; done";

    /// <summary>Writes an executable shell script standing in for ffmpeg; returns its path.</summary>
    internal static string StandIn(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    [Theory]
    [InlineData("[Parsed_showinfo_1 @ 0x55] n:   3 pts:    300 pts_time:0.3     duration:100 fmt:bgr24", 3, 0.3)]
    [InlineData("[Parsed_showinfo_1 @ 0x55] n:  12 pts:  81920 pts_time:5.33333 pos: 4116", 12, 5.33333)]
    [InlineData("[Parsed_showinfo_1 @ 0x55] n:   0 pts:NOPTS pts_time:NOPTS pos: 4116", 0, double.NaN)]
    public void TryParseFrame_ShowinfoFrameLine_GivesItsNumberAndTime(string line, int frame, double seconds) =>
        Assert.Equal((frame, seconds), FfmpegFrameReader.TryParseFrame(line));

    [Fact]
    public void TryParseFrame_ShowinfoConfigLine_IsNotAFrame() =>
        Assert.Null(FfmpegFrameReader.TryParseFrame("[Parsed_showinfo_1 @ 0x55] config in time_base: 1/10, frame_rate: 10/1"));

    public void Dispose() => _temp.Dispose();
}
