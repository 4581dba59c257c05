using OpenCvSharp;
using VideoTracker.Tests.Video;

namespace VideoTracker.Tests.Counting;

/// <summary>The heatmap's backdrop is the clip's middle frame, found by ffmpeg without decoding up to it, or by OpenCV without ffmpeg.</summary>
public sealed class HeatmapBackdropTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RepresentativeFrame_IntraOnlyClip_IsTheMiddleFrame(bool ffmpeg)
    {
        // MJPEG: every frame is a keyframe, so the keyframe before the middle is the middle frame (20 of 40).
        var clip = TestClips.MovingSquare(_temp.Path, frames: 40, width: 160, height: 120);

        using var frame = await new HeatmapBuilder(160, 120).RepresentativeFrameAsync(clip, ffmpeg ? FfmpegFrameReaderTests.Ffmpeg : null, CancellationToken.None);

        AssertIsFrame20(clip, frame);
    }

    /// <summary>An ffmpeg that cannot be started (not executable since start-up) leaves the backdrop to OpenCV: it failed the job.</summary>
    [Fact]
    public async Task RepresentativeFrame_FfmpegCannotBeStarted_IsTheMiddleFrameFromOpenCv()
    {
        var clip = TestClips.MovingSquare(_temp.Path, frames: 40, width: 160, height: 120);
        var ffmpeg = Path.Combine(_temp.Path, "ffmpeg-not-executable");
        File.WriteAllText(ffmpeg, "not a program");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(ffmpeg, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var frame = await new HeatmapBuilder(160, 120).RepresentativeFrameAsync(clip, ffmpeg, CancellationToken.None);

        AssertIsFrame20(clip, frame);
    }

    public void Dispose() => _temp.Dispose();

    private static void AssertIsFrame20(string clip, Mat? frame)
    {
        using var expected = new Mat();
        using (var capture = new VideoCapture(clip))
        {
            capture.Set(VideoCaptureProperties.PosFrames, 20);
            Assert.True(capture.Read(expected));
        }

        Assert.NotNull(frame);
        Assert.Equal((160, 120), (frame.Width, frame.Height));
        var difference = Cv2.Norm(expected, frame, NormTypes.L1) / (160 * 120 * 3);
        Assert.True(difference < 3, $"Mean absolute difference {difference:0.00} from frame 20.");
    }
}
