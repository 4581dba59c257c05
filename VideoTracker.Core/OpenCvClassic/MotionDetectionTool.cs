using OpenCvSharp;

namespace VideoTracker.Core.OpenCvClassic;

/// <summary>
/// Finds moving blobs with OpenCV's MOG2 background subtractor. Needs no model, so it always works.
/// Each blob is a detection of class <c>motion</c>; its confidence is how much of its box is foreground.
/// </summary>
/// <param name="ffmpeg">When given (and installed, with <c>Detection:DecodeWithFfmpeg</c>), ffmpeg decodes the clip scaled to the work width.</param>
public sealed class MotionDetectionTool(FfmpegLocator? ffmpeg = null) : FrameAnalyserTool<MotionDetectionOptions>(
    ToolId,
    "Motion detection",
    "Background subtraction (MOG2): every moving blob becomes a detection of class 'motion'. Needs no model.",
    new ToolInput(MotionDetectionOptions.MinAreaOption, ToolInputType.WholeNumber, "Minimum blob area", "Smallest moving blob to report, in pixels.", 400, 1, 10_000_000),
    new ToolInput(MotionDetectionOptions.VarThresholdOption, ToolInputType.Number, "Sensitivity threshold", "MOG2 variance threshold: higher ignores smaller changes.", 16.0, 1, 1000),
    new ToolInput(MotionDetectionOptions.HistoryOption, ToolInputType.WholeNumber, "History", "Frames that form the background model.", 500, 1, 100_000))
{
    public const string ToolId = "video_motion_detection";
    public const string ClassName = "motion";

    protected override MotionDetectionOptions ReadOptions(ToolOptions options) => MotionDetectionOptions.Read(options);

    protected override IFrameAnalyser CreateAnalyser(MotionDetectionOptions options) =>
        new MotionAnalyser(options.MinArea, options.VarThreshold, options.History);

    protected override string? Decoder => ffmpeg?.Decoder;

    /// <summary>
    /// The background model runs on the frame downscaled to at most <see cref="MotionAnalyser.MaxWidth"/> pixels wide
    /// (1080p costs about a ninth as much); boxes and <c>min_area</c> stay in source pixels.
    /// </summary>
    internal sealed class MotionAnalyser(int minArea, double varThreshold, int history) : IScaledFrameAnalyser, IDisposable
    {
        public const int MaxWidth = 640;

        private readonly BackgroundSubtractorMOG2 _subtractor = BackgroundSubtractorMOG2.Create(history, varThreshold, detectShadows: true);
        private readonly Mat _small = new();
        private readonly Mat _mask = new();
        private readonly Mat _kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(3, 3));

        public int WorkWidth => MaxWidth;

        public IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex)
        {
            if (frame.Width <= MaxWidth)
            {
                return Analyse(frame, frameIndex, 1, frame.Width, frame.Height);
            }

            var shrink = MaxWidth / (double)frame.Width;
            Cv2.Resize(frame, _small, new Size(MaxWidth, (int)Math.Round(frame.Height * shrink)), 0, 0, InterpolationFlags.Area);
            return Analyse(_small, frameIndex, shrink, frame.Width, frame.Height);
        }

        public IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex, double scale, int sourceWidth, int sourceHeight)
        {
            // From here on, scale is source pixels per work pixel.
            scale = 1 / scale;
            _subtractor.Apply(frame, _mask);

            // Shadows are marked 127: keep only confident foreground (255), then remove speckle.
            Cv2.Threshold(_mask, _mask, 200, 255, ThresholdTypes.Binary);
            Cv2.MorphologyEx(_mask, _mask, MorphTypes.Open, _kernel);
            Cv2.Dilate(_mask, _mask, _kernel, iterations: 2);
            Cv2.FindContours(_mask, out var contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);

            var detections = new List<DetectedObject>();
            foreach (var contour in contours)
            {
                var box = Cv2.BoundingRect(contour);
                if (box.Width * box.Height * scale * scale < minArea)
                {
                    continue;
                }

                var fill = Cv2.ContourArea(contour) / Math.Max(1.0, box.Width * box.Height);
                detections.Add(new DetectedObject(
                    (float)(box.Left * scale), (float)(box.Top * scale), (float)Math.Min(sourceWidth, box.Right * scale), (float)Math.Min(sourceHeight, box.Bottom * scale),
                    (float)Math.Round(Math.Clamp(fill, 0.01, 1.0), 3),
                    0, ClassName));
            }

            return detections;
        }

        public void Dispose()
        {
            _subtractor.Dispose();
            _small.Dispose();
            _mask.Dispose();
            _kernel.Dispose();
        }
    }
}

/// <summary>Motion detection's options, typed; read once at the start of a run (the defaults live in the manifest only).</summary>
public sealed record MotionDetectionOptions(int MinArea, double VarThreshold, int History, FrameSelection Frames) : IFrameToolOptions
{
    public const string MinAreaOption = "min_area";
    public const string VarThresholdOption = "var_threshold";
    public const string HistoryOption = "history";

    public static MotionDetectionOptions Read(ToolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.WholeNumber(MinAreaOption), options.Number(VarThresholdOption), options.WholeNumber(HistoryOption), FrameSelection.From(options));
    }
}
