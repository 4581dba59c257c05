using OpenCvSharp;

namespace VideoTracker.Tests.Support;

/// <summary>One square on a known straight path: its box at frame i is interpolated from start to end.</summary>
/// <param name="Brightness">Grey level that identifies the square (and becomes its track id's key).</param>
public sealed record SquarePath(int TrackId, int Brightness, (double X, double Y) Start, (double X, double Y) End, int Side = 24)
{
    /// <summary>The box's top-left corner at frame <paramref name="frame"/> of <paramref name="frames"/>.</summary>
    public (double X, double Y) At(int frame, int frames)
    {
        var t = frame / (double)Math.Max(1, frames - 1);
        return (Start.X + ((End.X - Start.X) * t), Start.Y + ((End.Y - Start.Y) * t));
    }

    /// <summary>The bottom-centre anchor at frame <paramref name="frame"/>.</summary>
    public (double X, double Y) AnchorAt(int frame, int frames)
    {
        var (x, y) = At(frame, frames);
        return (x + (Side / 2.0), y + Side);
    }
}

/// <summary>Generated clips of grey squares on black moving on known paths, and the tool that finds them.</summary>
public static class SquaresClip
{
    public static string Write(string directory, string name, int width, int height, double fps, int frames, IReadOnlyList<SquarePath> squares)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        using var writer = new VideoWriter(path, FourCC.MJPG, fps, new Size(width, height));
        using var frame = new Mat(height, width, MatType.CV_8UC3);
        for (var i = 0; i < frames; i++)
        {
            frame.SetTo(Scalar.Black);
            foreach (var s in squares)
            {
                var (x, y) = s.At(i, frames);
                Cv2.Rectangle(frame, new Rect((int)Math.Round(x), (int)Math.Round(y), s.Side, s.Side), Scalar.All(s.Brightness), -1);
            }

            writer.Write(frame);
        }

        return path;
    }

    /// <summary>
    /// A tool that outputs track ids, for counting tests: it decodes the clip with the real frame loop and
    /// finds each square by its grey level (the biggest blob within ±30 of it); the level is the track.
    /// </summary>
    public sealed class Tool(IReadOnlyList<SquarePath> squares) : IVideoTool
    {
        public const string Id = "squares";

        public ToolManifest Manifest { get; } = new(
            Id, "Squares", "Finds grey squares and tracks them by brightness.", [ToolManifest.VideoInput],
            [VideoTracker.Core.OpenCvClassic.CommonInputs.FrameStride, .. VideoTracker.Core.Counting.CountingInputs.All]);

        public ToolAvailability GetAvailability() => ToolAvailability.Yes;

        public Task<ToolRunSummary> RunAsync(ToolRequest request, IProgress<FrameProgress> progress, CancellationToken cancellationToken) =>
            FrameLoop.RunAsync(request, FrameSelection.From(request.Options), new Finder(squares), progress, cancellationToken);

        private sealed class Finder(IReadOnlyList<SquarePath> squares) : IFrameAnalyser
        {
            public IReadOnlyList<DetectedObject> Analyse(Mat frame, int frameIndex)
            {
                using var grey = new Mat();
                Cv2.CvtColor(frame, grey, ColorConversionCodes.BGR2GRAY);
                var found = new List<DetectedObject>();
                foreach (var s in squares)
                {
                    using var mask = new Mat();
                    Cv2.InRange(grey, new Scalar(s.Brightness - 30), new Scalar(s.Brightness + 30), mask);
                    Cv2.FindContours(mask, out var contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);
                    var best = contours.Where(c => Cv2.ContourArea(c) > s.Side * s.Side / 2.0).OrderByDescending(c => Cv2.ContourArea(c)).FirstOrDefault();
                    if (best is not null)
                    {
                        var r = Cv2.BoundingRect(best);
                        found.Add(new DetectedObject(r.X, r.Y, r.X + r.Width, r.Y + r.Height, 0.9f, 0, "square", s.TrackId));
                    }
                }

                return found;
            }
        }
    }
}

/// <summary>
/// The counting scene: three squares on a 320×240, 10 fps, 40-frame clip, a gate line and a polygon,
/// placed so each crossing happens between two frames, a few pixels clear of the line.
/// </summary>
public static class CountingScene
{
    public const int Width = 320;
    public const int Height = 240;
    public const double Fps = 10;
    public const int Frames = 40;

    public static IReadOnlyList<SquarePath> Squares { get; } =
    [
        new(1, 250, (68, 10), (68, 205)),   // down through the gate: in
        new(2, 160, (228, 205), (228, 10)), // up through the gate: out; starts inside "right", leaves it
        new(3, 90, (8, 170), (281, 170)),   // right along the bottom: enters "right" and stays
    ];

    public const double GateY = 121.5;
    public const double RightX = 205.5;
    public const double RightTop = 151.5;

    public static string ZonesJson => FormattableString.Invariant(
        $"[{{\"name\": \"gate\", \"type\": \"line\", \"points\": [[20, {GateY}], [300, {GateY}]]}}, {{\"name\": \"right\", \"type\": \"polygon\", \"points\": [[{RightX}, {RightTop}], [320, {RightTop}], [320, 240], [{RightX}, 240]]}}]");

    public static bool InRight((double X, double Y) p) => p.X > RightX && p.Y > RightTop;
}
