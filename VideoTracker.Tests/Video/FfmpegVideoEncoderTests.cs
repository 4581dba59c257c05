using OpenCvSharp;
using VideoTracker.Tests.Support;

namespace VideoTracker.Tests.Video;

/// <summary>Debian's ffmpeg encodes OpenCV's frames to H.264, each shown at the time it was written with.</summary>
public sealed class FfmpegVideoEncoderTests : IDisposable
{
    private const int Width = 65, Height = 49; // odd: rows of 195 bytes, unpadded, and an H.264 size of 66×50
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task WriteAsync_FramesAtUnevenTimes_ShowsEachAtItsOwnTime()
    {
        double[] written = [0, 40, 100, 400, 433.5, 1250.25];

        var mp4 = await EncodeAsync(written);

        Assert.Equal(written, await VariableFrameRateClip.FrameTimesMsAsync(mp4));
    }

    [Fact]
    public async Task WriteAsync_TimeNotAfterThePrevious_IsPutJustAfterItSoNoFrameIsLost()
    {
        var mp4 = await EncodeAsync([0, 100, 100, 50]);

        Assert.Equal([0, 100, 100.001, 100.002], await VariableFrameRateClip.FrameTimesMsAsync(mp4));
    }

    [Fact]
    public async Task WriteAsync_OddSizedFrames_KeepTheirPixelsTopDownAndTheirColours()
    {
        var mp4 = await EncodeAsync([0, 100, 200]);

        using var capture = new VideoCapture(mp4);
        using var frame = new Mat();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(capture.Read(frame) && !frame.Empty(), $"Frame {i} is missing.");
            Assert.Equal((Width + 1, Height + 1), (frame.Width, frame.Height));
            AssertNear(new Vec3b(255, 255, 255), frame.At<Vec3b>(4, Width / 2), $"frame {i}, white top band");
            AssertNear(Colour(i), frame.At<Vec3b>(Height - 8, Width - 4), $"frame {i}, body");
        }
    }

    [Fact]
    public async Task TranscodeAsync_ClipWithNonSquarePixels_GivesSquarePixelsSoBrowsersShowItAtItsOwnSize()
    {
        // 720x480 at 4:3 pixels (anamorphic DVD): a browser would report it 960 wide, boxes are in 720.
        var clip = _temp.Combine("anamorphic.mp4");
        await VariableFrameRateClip.RunAsync(
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=720x480:rate=10",
            "-frames:v", "3", "-vf", "setsar=4/3", "-c:v", "libx264", "-preset", "ultrafast", clip);
        var preview = _temp.Combine("anamorphic-preview.mp4");

        Assert.Null(await FfmpegVideoEncoder.TranscodeAsync(FfmpegFrameReaderTests.Ffmpeg, clip, preview, lowPriority: false, null, Timeout.InfiniteTimeSpan, CancellationToken.None));

        var probed = await VariableFrameRateClip.RunAsync(
            "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,sample_aspect_ratio", "-of", "csv=p=0", preview);
        Assert.Equal("720,480,1:1", probed.Trim());
    }

    [Fact]
    public async Task TranscodeAsync_InputThatNeverArrives_KillsFfmpegOnceItMakesNoProgressForTheLimit()
    {
        // A named pipe nobody writes to: ffmpeg waits on it for ever, as on a network share that stopped answering.
        var pipe = _temp.Combine("never.mkv");
        await VariableFrameRateClip.RunAsync("mkfifo", pipe);
        var preview = _temp.Combine("never-preview.mp4");

        var stalled = await Assert.ThrowsAsync<TimeoutException>(() => FfmpegVideoEncoder.TranscodeAsync(
            FfmpegFrameReaderTests.Ffmpeg, pipe, preview, lowPriority: false, null, TimeSpan.FromSeconds(2), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal("ffmpeg made no progress for 2 s (at frame 0) and was stopped", stalled.Message);
        Assert.Empty(ChildProcesses.Of(Environment.ProcessId, "ffmpeg", pipe));
        Assert.False(File.Exists(preview));
    }

    /// <summary>Frame k: a white band along the top over <see cref="Colour"/>(k), written at <paramref name="timesMs"/>[k].</summary>
    private async Task<string> EncodeAsync(double[] timesMs)
    {
        var mp4 = _temp.Combine(Guid.NewGuid().ToString("N") + ".mp4");
        await using var encoder = FfmpegVideoEncoder.Start(FfmpegFrameReaderTests.Ffmpeg, mp4, Width, Height, fps: 10);
        for (var i = 0; i < timesMs.Length; i++)
        {
            using var frame = new Mat(Height, Width, MatType.CV_8UC3, Scalar.FromVec3b(Colour(i)));
            using (var band = frame.RowRange(0, 12))
            {
                band.SetTo(Scalar.White);
            }

            await encoder.WriteAsync(frame, timesMs[i], CancellationToken.None);
        }

        Assert.Null(await encoder.CompleteAsync(CancellationToken.None));
        return mp4;
    }

    /// <summary>Blue, green, red in turn (BGR), so a swapped channel or frame shows.</summary>
    private static Vec3b Colour(int index) => (index % 3) switch
    {
        0 => new Vec3b(200, 40, 40),
        1 => new Vec3b(40, 200, 40),
        _ => new Vec3b(40, 40, 200),
    };

    private static void AssertNear(Vec3b expected, Vec3b actual, string where)
    {
        // H.264 in yuv420p moves a flat colour by a few levels at most.
        var off = Math.Max(Math.Abs(expected.Item0 - actual.Item0), Math.Max(Math.Abs(expected.Item1 - actual.Item1), Math.Abs(expected.Item2 - actual.Item2)));
        Assert.True(off <= 12, $"{where}: expected {expected}, got {actual}.");
    }

    public void Dispose() => _temp.Dispose();
}
