namespace VideoTracker.Tests.Support;

/// <summary>
/// Real files that OpenCV cannot read, made at test time with Debian's ffmpeg: audio without video, an AV1 clip
/// (OpenCvSharp's FFmpeg opens it but decodes no frame; the README lists the codecs tried), and cut-off MP4s.
/// </summary>
public static class UnreadableClipFiles
{
    /// <summary>One second of a 440 Hz tone in AAC; the container follows the name's extension (.m4a, .mp4).</summary>
    public static async Task<string> AudioOnlyAsync(string directory, string name)
    {
        var path = Prepare(directory, name);
        await VariableFrameRateClip.RunAsync(
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", path);
        return path;
    }

    /// <summary>Five frames of AV1 in an MP4 (libaom at its fastest).</summary>
    public static async Task<string> Av1Async(string directory, string name = "av1.mp4")
    {
        var path = Prepare(directory, name);
        await VariableFrameRateClip.RunAsync(
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
            "-frames:v", "5", "-pix_fmt", "yuv420p", "-c:v", "libaom-av1", "-cpu-used", "8", path);
        return path;
    }

    /// <summary>
    /// The start of a 2-second H.264 MP4 (18 KB), what an upload or a recording cut off part-way leaves. Without
    /// <paramref name="faststart"/> ffmpeg writes the index (the <c>moov</c> box) at the end, so the first half has
    /// none; with it the index comes first (under 1 KB), and the first tenth holds it and a piece of the first frames.
    /// </summary>
    public static async Task<string> CutOffMp4Async(string directory, string name = "cut-off.mp4", bool faststart = false)
    {
        var whole = Prepare(directory, "whole-" + name);
        await VariableFrameRateClip.RunAsync(
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
            "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-movflags", faststart ? "+faststart" : "-faststart", whole);
        return TestClips.Truncated(whole, directory, faststart ? 0.1 : 0.5, name);
    }

    private static string Prepare(string directory, string name)
    {
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }
}
