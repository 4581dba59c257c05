using OpenCvSharp;
using VideoTracker.Core.Counting;

namespace VideoTracker.Core.Detection;

/// <summary>
/// The annotated MP4 of a job: each frame with its boxes, class names, confidences and track ids drawn
/// on, encoded by ffmpeg. When ffmpeg is missing or fails, the job still completes and
/// <see cref="CompleteAsync"/> says why there is no video.
/// <para>
/// It shows what the results hold: a run hands it each decoded frame (<see cref="HoldAsync"/>), and each analysed
/// frame's final detections as they are written (<see cref="ReleaseAsync"/>, after a tracker's refinement, which holds
/// frames back to fill gaps and drop short tracks). A frame is drawn once the detections it shows are final (its own, or
/// those of the analysed frame before it); a frame that must wait for them is copied and kept until then: as many frames
/// as the refinement holds back, times the frame stride (none without a refinement). Past <see cref="DefaultMaxHeldBytes"/>
/// of them, the video is given up (<see cref="Error"/> says why) rather than drawn from detections that are not final.
/// </para>
/// </summary>
public sealed partial class AnnotatedVideo : IAsyncDisposable
{
    public const string FileName = "annotated.mp4";

    /// <summary>The most decoded frames' bytes held at once: 1 GiB (about 170 frames at 1080p).</summary>
    public const long DefaultMaxHeldBytes = 1L << 30;

    private readonly string? _ffmpegPath;
    private readonly string _outputPath;
    private readonly double _fps;
    private readonly CountingOverlay? _counting;
    private readonly long _maxHeldBytes;
    private readonly Queue<HeldFrame> _held = new();
    private readonly Queue<FrameDetections> _final = new();
    private readonly Stack<Mat> _spare = new();
    private IReadOnlyList<DetectedObject> _shown = [];
    private FfmpegVideoEncoder? _encoder;

    /// <param name="counting">For a counting job: draws its zones, running counts (read from the job's counter) and trails too.</param>
    /// <param name="maxHeldBytes">The most decoded frames' bytes held at once (<see cref="DefaultMaxHeldBytes"/>).</param>
    public AnnotatedVideo(FfmpegLocator ffmpeg, string outputDirectory, double fps, CountingOverlay? counting = null, long maxHeldBytes = DefaultMaxHeldBytes)
    {
        _counting = counting;
        _maxHeldBytes = maxHeldBytes;
        ArgumentNullException.ThrowIfNull(ffmpeg);
        _ffmpegPath = ffmpeg.Path;
        Error = _ffmpegPath is null ? ffmpeg.UnavailableReason : null;
        _outputPath = Path.Combine(outputDirectory, FileName);
        _fps = fps;
    }

    /// <summary>Why the video will not be produced, once that is known.</summary>
    public string? Error { get; private set; }

    /// <summary>The most decoded frames held at once, waiting for their final detections.</summary>
    internal int MostHeld { get; private set; }

    /// <summary>For a counting job, the counts the video shows at its end (null otherwise).</summary>
    public IReadOnlyDictionary<string, ZoneCounts>? Counts => _counting?.Counts();

    /// <summary>
    /// Draws <paramref name="detections"/> onto <paramref name="frame"/> (in place) and encodes it to be shown at
    /// <paramref name="timestampMs"/>, the frame's own time, so the MP4 keeps the clip's timing.
    /// <paramref name="analysed"/> is true when these detections are the frame's own (not those of an earlier
    /// analysed frame held over a frame stride); trails advance only then.
    /// </summary>
    public async ValueTask WriteAsync(
        Mat frame, int index, double timestampMs, IReadOnlyList<DetectedObject> detections, bool analysed, CancellationToken cancellationToken)
    {
        if (Error is not null)
        {
            return;
        }

        if (_counting is not null)
        {
            if (analysed)
            {
                _counting.AddTrails(detections);
            }

            _counting.Draw(frame, id => Colour(id));
        }

        Draw(frame, detections);
        try
        {
            _encoder ??= FfmpegVideoEncoder.Start(_ffmpegPath!, _outputPath, frame.Width, frame.Height, _fps);
            await _encoder.WriteAsync(frame, timestampMs, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // .NET's message for an ffmpeg that could not be started names the server's ffmpeg path and working directory.
            Error = ex is System.ComponentModel.Win32Exception notStarted
                ? FfmpegProcess.CannotStart(notStarted, "writes the annotated video")
                : "ffmpeg failed: " + ex.Message;
            await StopEncoderAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Finishes the file, once every final frame has been released. Returns its name, or null with <see cref="Error"/> saying
    /// why there is none.
    /// </summary>
    public async Task<string?> CompleteAsync(CancellationToken cancellationToken)
    {
        // A frame whose detections were never released is still shown, with none, so that the video has every frame.
        while (Error is null && _held.TryDequeue(out var left))
        {
            await WriteAsync(left.Frame, left.Index, left.TimestampMs, [], analysed: false, cancellationToken).ConfigureAwait(false);
            _spare.Push(left.Frame);
        }

        if (Error is null && _encoder is null)
        {
            Error = "no frame was written.";
        }

        if (Error is not null || _encoder is null)
        {
            return null;
        }

        var error = await _encoder.CompleteAsync(cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            Error = error;
            return null;
        }

        return FileName;
    }

    public async ValueTask DisposeAsync()
    {
        await StopEncoderAsync().ConfigureAwait(false);
        FreeFrames();
    }


    /// <summary>Boxes with <c>class confidence #track</c> labels; a track keeps its colour.</summary>
    public static void Draw(Mat frame, IReadOnlyList<DetectedObject> detections)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(detections);
        foreach (var d in detections)
        {
            var colour = Colour(d.TrackId ?? d.ClassId);
            var box = new Rect((int)d.X1, (int)d.Y1, Math.Max(1, (int)(d.X2 - d.X1)), Math.Max(1, (int)(d.Y2 - d.Y1)));
            Cv2.Rectangle(frame, box, colour, 2);
            var label = d.TrackId is { } id
                ? string.Create(CultureInfo.InvariantCulture, $"#{id} {d.ClassName} {d.Confidence:0.00}")
                : string.Create(CultureInfo.InvariantCulture, $"{d.ClassName} {d.Confidence:0.00}");
            var size = Cv2.GetTextSize(label, HersheyFonts.HersheySimplex, 0.45, 1, out var baseline);
            var top = Math.Max(0, box.Top - size.Height - baseline - 2);
            var left = Math.Max(0, Math.Min(box.Left, frame.Width - size.Width - 4)); // keep labels inside the frame
            Cv2.Rectangle(frame, new Rect(left, top, size.Width + 4, size.Height + baseline + 2), colour, -1);
            Cv2.PutText(frame, label, new Point(left + 2, top + size.Height + 1), HersheyFonts.HersheySimplex, 0.45, Scalar.Black, 1, LineTypes.AntiAlias);
        }
    }

    private async ValueTask StopEncoderAsync()
    {
        if (_encoder is not null)
        {
            await _encoder.DisposeAsync().ConfigureAwait(false);
            _encoder = null;
        }
    }

    private static Scalar Colour(int key)
    {
        // Golden-ratio hues give neighbouring ids clearly different colours.
        var hue = (key * 0.618034) % 1.0;
        using var hsv = new Mat(1, 1, MatType.CV_8UC3, new Scalar(hue * 180, 200, 255));
        using var bgr = new Mat();
        Cv2.CvtColor(hsv, bgr, ColorConversionCodes.HSV2BGR);
        var v = bgr.At<Vec3b>(0, 0);
        return new Scalar(v.Item0, v.Item1, v.Item2);
    }
}
