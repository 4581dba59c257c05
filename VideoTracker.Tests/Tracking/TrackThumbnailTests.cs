using OpenCvSharp;
using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Tracking;

/// <summary>A track's thumbnail is cut from the frame as decoded, whole or already scaled to the model's input.</summary>
public sealed class TrackThumbnailTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.2167)]
    public async Task OfferCrops_FrameAtAnyScale_CutsTheBoxGivenInSourcePixels(double scale)
    {
        // A 1920x1080 source with a red person-sized box at (800, 300)-(900, 600), and a green one just beside it.
        using var frame = new Mat((int)Math.Round(1080 * scale), (int)Math.Round(1920 * scale), MatType.CV_8UC3, Scalar.All(0));
        Cv2.Rectangle(frame, new Rect((int)(800 * scale), (int)(300 * scale), (int)(100 * scale), (int)(300 * scale)), new Scalar(0, 0, 255), -1);
        Cv2.Rectangle(frame, new Rect((int)(910 * scale), (int)(300 * scale), (int)(100 * scale), (int)(300 * scale)), new Scalar(0, 255, 0), -1);
        using var table = new TrackTableBuilder();
        var person = new DetectedObject(800, 300, 900, 600, 0.9f, 0, "person", 7);

        table.Add(0, 0, [person]);
        table.OfferCrops([person], new DecodedFrame(frame, scale, 1920, 1080));
        await table.WriteAsync(_temp.Path, CancellationToken.None);

        using var thumbnail = Cv2.ImRead(ResultFiles.ThumbnailPath(_temp.Path, 7));
        Assert.InRange(thumbnail.Height, Math.Min(TrackTableBuilder.ThumbnailHeight, (int)(300 * scale)) - 1, Math.Min(TrackTableBuilder.ThumbnailHeight, (int)(300 * scale)) + 2);
        var mean = Cv2.Mean(thumbnail);
        Assert.True(mean.Val2 > 200 && mean.Val1 < 40, $"The thumbnail is not the red box (mean BGR {mean.Val0:0}, {mean.Val1:0}, {mean.Val2:0}).");
    }

    public void Dispose() => _temp.Dispose();
}
