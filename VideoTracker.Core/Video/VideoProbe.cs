using OpenCvSharp;

namespace VideoTracker.Core.Video;

/// <summary>What OpenCV can tell about a clip before it is processed.</summary>
/// <param name="HeaderFrameCount">CAP_PROP_FRAME_COUNT as the container claims it; 0 or less when unknown.</param>
public sealed record VideoInfo(int Width, int Height, double Fps, int HeaderFrameCount, double DurationSeconds)
{
    /// <summary>The frame count to show progress against when the real count is not known yet.</summary>
    public int EstimatedTotalFrames => VideoProbe.EstimateTotalFrames(HeaderFrameCount, DurationSeconds, Fps);
}

public static class VideoProbe
{
    /// <summary>Used when neither the header nor the duration tells how many frames a clip has.</summary>
    public const int UnknownTotalFrames = 100;

    /// <summary>Header count; else duration × fps; else <see cref="UnknownTotalFrames"/>.</summary>
    public static int EstimateTotalFrames(int headerFrameCount, double durationSeconds, double fps)
    {
        if (headerFrameCount > 0)
        {
            return headerFrameCount;
        }

        if (durationSeconds > 0 && fps > 0 && double.IsFinite(durationSeconds * fps))
        {
            return Math.Max(1, (int)Math.Round(durationSeconds * fps));
        }

        return UnknownTotalFrames;
    }

    /// <summary>
    /// The most pixels a frame may have: DCI 8K (8192 × 4320), the largest frame cameras record. A decoded frame
    /// is held several times over (the decoder's, OpenCV's BGR copy, the annotated video's), so a small file
    /// whose header claims a huge frame would otherwise cost gigabytes of memory per upload.
    /// </summary>
    public const long MaxFramePixels = (long)MaxFrameWidth * MaxFrameHeight;

    private const int MaxFrameWidth = 8192;
    private const int MaxFrameHeight = 4320;

    /// <summary>
    /// Opens a clip and decodes its first frame, whatever its size: a job's clip, already taken at submit (or before the
    /// limit existed). Returns null with a reason when OpenCV cannot.
    /// </summary>
    public static VideoInfo? TryProbe(string path, out string? error) => TryProbe(path, out error, out _, limitFrameSize: false);

    /// <summary>
    /// As <see cref="TryProbe(string, out string?)"/>, for an upload: a frame over <see cref="MaxFramePixels"/> is refused
    /// from the header, before a frame is decoded, and <paramref name="tooLarge"/> says that was the reason.
    /// </summary>
    public static VideoInfo? TryProbe(string path, out string? error, out bool tooLarge) => TryProbe(path, out error, out tooLarge, limitFrameSize: true);

    private static VideoInfo? TryProbe(string path, out string? error, out bool tooLarge, bool limitFrameSize)
    {
        error = null;
        tooLarge = false;
        using var capture = new VideoCapture(path);
        if (!capture.IsOpened())
        {
            error = "The file is not a video that can be opened (unknown container or codec).";
            return null;
        }

        var info = ReadInfo(capture);
        if (limitFrameSize && (long)info.Width * info.Height > MaxFramePixels)
        {
            tooLarge = true;
            error = string.Create(
                CultureInfo.InvariantCulture,
                $"The video's frames are {info.Width}x{info.Height} pixels; this server takes at most {MaxFramePixels / 1e6:0.#} megapixels ({MaxFrameWidth}x{MaxFrameHeight}, 8K).");
            return null;
        }

        using var frame = new Mat();
        if (!capture.Read(frame) || frame.Empty())
        {
            error = "The video opened, but its first frame could not be decoded.";
            return null;
        }

        return info with { Width = frame.Width, Height = frame.Height };
    }

    /// <summary>Reads the header properties of an open capture without moving its position.</summary>
    public static VideoInfo ReadInfo(VideoCapture capture)
    {
        var fps = capture.Get(VideoCaptureProperties.Fps);
        if (!double.IsFinite(fps) || fps <= 0 || fps > 1000)
        {
            fps = 0;
        }

        var header = capture.Get(VideoCaptureProperties.FrameCount);
        var headerFrames = double.IsFinite(header) && header > 0 && header < int.MaxValue ? (int)header : 0;
        var durationSeconds = headerFrames > 0 || fps <= 0 ? 0 : ReadDurationSeconds(capture);
        return new VideoInfo(capture.FrameWidth, capture.FrameHeight, fps, headerFrames, durationSeconds);
    }

    /// <summary>Seeks to the end to read the duration, then back to the start. Zero when the backend cannot seek.</summary>
    private static double ReadDurationSeconds(VideoCapture capture)
    {
        if (!capture.Set(VideoCaptureProperties.PosAviRatio, 1))
        {
            return 0;
        }

        var ms = capture.Get(VideoCaptureProperties.PosMsec);
        capture.Set(VideoCaptureProperties.PosFrames, 0);
        return double.IsFinite(ms) && ms > 0 ? ms / 1000.0 : 0;
    }
}
