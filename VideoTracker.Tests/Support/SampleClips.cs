using OpenCvSharp;

namespace VideoTracker.Tests.Support;

/// <summary>Short cuts of the shared vtest.avi, written with VideoWriter (MJPEG) so uploads stay small.</summary>
public static class SampleClips
{
    public static string VtestCut(string directory, int frames, string name = "vtest-cut.avi")
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        using var capture = new VideoCapture(TestClips.SampleClip);
        Assert.True(capture.IsOpened(), $"Cannot open {TestClips.SampleClip}.");
        using var writer = new VideoWriter(path, FourCC.MJPG, capture.Fps, new Size(capture.FrameWidth, capture.FrameHeight));
        using var frame = new Mat();
        for (var i = 0; i < frames && capture.Read(frame) && !frame.Empty(); i++)
        {
            writer.Write(frame);
        }

        return path;
    }

    /// <summary>Decodes a video with OpenCV and counts its frames (not the header's claim).</summary>
    public static int CountDecodedFrames(string path)
    {
        using var capture = new VideoCapture(path);
        Assert.True(capture.IsOpened(), $"OpenCV cannot open {path}.");
        using var frame = new Mat();
        var count = 0;
        while (capture.Read(frame) && !frame.Empty())
        {
            count++;
        }

        return count;
    }
}
