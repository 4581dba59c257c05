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
        using var expected = new Mat();
        using (var capture = new VideoCapture(clip))
        {
            capture.Set(VideoCaptureProperties.PosFrames, 20);
            Assert.True(capture.Read(expected));
        }

        using var frame = await new HeatmapBuilder(160, 120).RepresentativeFrameAsync(clip, ffmpeg ? FfmpegFrameReaderTests.Ffmpeg : null, CancellationToken.None);

        Assert.NotNull(frame);
        Assert.Equal((160, 120), (frame.Width, frame.Height));
        var difference = Cv2.Norm(expected, frame, NormTypes.L1) / (160 * 120 * 3);
        Assert.True(difference < 3, $"Mean absolute difference {difference:0.00} from frame 20.");
    }

    public void Dispose() => _temp.Dispose();
}
