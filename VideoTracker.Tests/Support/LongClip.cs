namespace VideoTracker.Tests.Support;

/// <summary>
/// A clip long enough that its preview takes seconds to encode, made by ffmpeg from its test pattern (faster than
/// OpenCV's VideoWriter at this length): an MJPEG AVI, as <see cref="TestClips"/> writes, that OpenCV decodes.
/// </summary>
public static class LongClip
{
    public static async Task<string> CreateAsync(string directory, int seconds = 60, int width = 640, int height = 480, string name = "long.avi")
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        await VariableFrameRateClip.RunAsync(
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", FormattableString.Invariant($"testsrc2=size={width}x{height}:rate=25:duration={seconds}"),
            "-c:v", "mjpeg", "-q:v", "10", path);
        return path;
    }
}
