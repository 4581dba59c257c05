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

    public void Dispose() => _temp.Dispose();
}
