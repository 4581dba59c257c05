using OpenCvSharp;

namespace VideoTracker.Core.OpenCvClassic;

/// <summary>
/// OpenCV's built-in HOG + linear SVM people detector (Dalal–Triggs). Needs no model file, so a fresh
/// install can find people. Confidence is the SVM margin <c>w</c> squashed to <c>w / (1 + w)</c>.
/// </summary>
public sealed class PeopleDetectionTool() : FrameAnalyserTool<PeopleDetectionOptions>(
    ToolId,
    "People detection (HOG)",
    "OpenCV's HOG people detector: finds upright people of at least 64×128 pixels. Needs no model.",
    new ToolInput(PeopleDetectionOptions.HitThresholdOption, ToolInputType.Number, "Hit threshold", "SVM margin a window needs to count: higher finds fewer, surer people.", 0.0, 0, 10),
    new ToolInput(PeopleDetectionOptions.ScaleOption, ToolInputType.Number, "Pyramid scale", "Step between detection scales: smaller is slower and finds more sizes.", 1.05, 1.01, 2),
    new ToolInput(PeopleDetectionOptions.UpscaleOption, ToolInputType.Number, "Upscale", "Enlarge frames by this factor first, to find people smaller than 64×128.", 1.0, 1, 4))
{
    public const string ToolId = "video_people_detection";
    public const string ClassName = "person";

    protected override PeopleDetectionOptions ReadOptions(ToolOptions options) => PeopleDetectionOptions.Read(options);

    protected override IFrameAnalyser CreateAnalyser(PeopleDetectionOptions options) =>
        new HogAnalyser(options.HitThreshold, options.Scale, options.Upscale);

    private sealed class HogAnalyser : IFrameAnalyser, IDisposable
    {
        /// <summary>What the detector adds around the image on each side.</summary>
        private static readonly Size Padding = new(8, 8);

        private readonly HOGDescriptor _hog = new();
        private readonly Mat _scaled = new();
        private readonly double _hitThreshold;
        private readonly double _scale;
        private readonly double _upscale;

        public HogAnalyser(double hitThreshold, double scale, double upscale)
        {
            _hog.SetSVMDetector(HOGDescriptor.GetDefaultPeopleDetector());
            _hitThreshold = hitThreshold;
            _scale = scale;
            _upscale = upscale;
        }

        public IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex)
        {
            var input = frame;
            if (_upscale > 1.0001)
            {
                Cv2.Resize(frame, _scaled, new Size(), _upscale, _upscale, InterpolationFlags.Linear);
                input = _scaled;
            }

            // OpenCV corrupts its heap (and the process dies) on an image that, padded, is smaller than the
            // detector's window: no person of the window's size fits in such a frame anyway.
            if (input.Width + (2 * Padding.Width) < _hog.WinSize.Width || input.Height + (2 * Padding.Height) < _hog.WinSize.Height)
            {
                return [];
            }

            var boxes = _hog.DetectMultiScale(input, out var weights, _hitThreshold, new Size(8, 8), Padding, _scale, 2);
            var detections = new List<DetectedObject>(boxes.Length);
            for (var i = 0; i < boxes.Length; i++)
            {
                var b = boxes[i];
                var w = Math.Max(0, i < weights.Length ? weights[i] : 0);
                detections.Add(new DetectedObject(
                    (float)Math.Clamp(b.Left / _upscale, 0, frame.Width),
                    (float)Math.Clamp(b.Top / _upscale, 0, frame.Height),
                    (float)Math.Clamp(b.Right / _upscale, 0, frame.Width),
                    (float)Math.Clamp(b.Bottom / _upscale, 0, frame.Height),
                    (float)Math.Round(w / (1 + w), 4),
                    0,
                    ClassName));
            }

            return detections;
        }

        public void Dispose()
        {
            _hog.Dispose();
            _scaled.Dispose();
        }
    }
}

/// <summary>HOG people detection's options, typed; read once at the start of a run (the defaults live in the manifest only).</summary>
public sealed record PeopleDetectionOptions(double HitThreshold, double Scale, double Upscale, FrameSelection Frames) : IFrameToolOptions
{
    public const string HitThresholdOption = "hit_threshold";
    public const string ScaleOption = "scale";
    public const string UpscaleOption = "upscale";

    public static PeopleDetectionOptions Read(ToolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.Number(HitThresholdOption), options.Number(ScaleOption), options.Number(UpscaleOption), FrameSelection.From(options));
    }
}
