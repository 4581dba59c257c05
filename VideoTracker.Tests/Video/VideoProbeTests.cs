namespace VideoTracker.Tests.Video;

public sealed class VideoProbeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData(456, 0, 0, 456)]
    [InlineData(0, 12.5, 24, 300)]
    [InlineData(-1, 2.0, 10, 20)]
    [InlineData(0, 0, 25, VideoProbe.UnknownTotalFrames)]
    [InlineData(0, 10, 0, VideoProbe.UnknownTotalFrames)]
    public void EstimateTotalFrames_FallsBackFromHeaderToDurationToHeuristic(int header, double seconds, double fps, int expected)
    {
        Assert.Equal(expected, VideoProbe.EstimateTotalFrames(header, seconds, fps));
    }

    [Fact]
    public void TryProbe_GeneratedClip_ReadsSizeFpsAndFrameCount()
    {
        var clip = TestClips.MovingSquare(_temp.Path, frames: 25, width: 160, height: 120, fps: 10);

        var info = VideoProbe.TryProbe(clip, out var error);

        Assert.Null(error);
        Assert.NotNull(info);
        Assert.Equal((160, 120), (info.Width, info.Height));
        Assert.Equal(10, info.Fps, 1);
        Assert.Equal(25, info.HeaderFrameCount);
    }

    [Fact]
    public void TryProbe_RandomBytes_ExplainsItIsNotAVideo()
    {
        var path = _temp.Combine("random.mp4");
        File.WriteAllBytes(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 251)).ToArray());

        var info = VideoProbe.TryProbe(path, out var error);

        Assert.Null(info);
        Assert.Contains("not a video", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The frame-size limit is the upload's: a job's clip taken before the limit existed is still read whole, so its
    /// COCO and CVAT exports keep their width and height, and its tracker and annotated video their frame rate.
    /// </summary>
    [Fact]
    public async Task TryProbe_FramesOverTheUploadLimit_AreReadForAJobAndRefusedForAnUpload()
    {
        var path = _temp.Combine("huge.avi");
        await VariableFrameRateClip.RunAsync(
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:size=9000x5000:rate=1",
            "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "31", path);

        var job = VideoProbe.TryProbe(path, out var jobError);
        var upload = VideoProbe.TryProbe(path, out var uploadError, out var tooLarge);

        Assert.Null(jobError);
        Assert.Equal((9000, 5000), (job?.Width, job?.Height));
        Assert.Null(upload);
        Assert.True(tooLarge);
        Assert.StartsWith("The video's frames are 9000x5000 pixels", uploadError, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
