using OpenCvSharp;

namespace VideoTracker.Core.Counting;

/// <summary>
/// Where anchors were over a whole job, accumulated while the frames go by on a coarse grid (one cell per
/// <see cref="CellSize"/> pixels), then smoothed, coloured and blended over a representative frame at the
/// clip's size when the job ends. Nothing is re-read to draw it.
/// </summary>
public sealed class HeatmapBuilder
{
    public const string FileName = "heatmap.png";
    public const int CellSize = 8;

    private readonly float[] _cells;

    public HeatmapBuilder(int frameWidth, int frameHeight)
    {
        FrameWidth = Math.Max(1, frameWidth);
        FrameHeight = Math.Max(1, frameHeight);
        Columns = Math.Max(1, (FrameWidth + CellSize - 1) / CellSize);
        Rows = Math.Max(1, (FrameHeight + CellSize - 1) / CellSize);
        _cells = new float[Columns * Rows];
    }

    public int FrameWidth { get; }

    public int FrameHeight { get; }

    public int Columns { get; }

    public int Rows { get; }

    public long Samples { get; private set; }

    public void Add(ZonePoint anchor)
    {
        var c = Math.Clamp((int)(anchor.X / CellSize), 0, Columns - 1);
        var r = Math.Clamp((int)(anchor.Y / CellSize), 0, Rows - 1);
        _cells[(r * Columns) + c]++;
        Samples++;
    }

    /// <summary>The accumulated count of the cell holding pixel (x, y).</summary>
    public float CountAt(double x, double y) =>
        _cells[(Math.Clamp((int)(y / CellSize), 0, Rows - 1) * Columns) + Math.Clamp((int)(x / CellSize), 0, Columns - 1)];

    /// <summary>
    /// Writes the PNG: the grid blurred, scaled to [0, 255], coloured with the JET map and blended over
    /// <paramref name="background"/> (a BGR frame of the clip, or grey when there is none) where there is heat.
    /// </summary>
    public void Save(string path, Mat? background)
    {
        using var grid = Mat.FromPixelData(Rows, Columns, MatType.CV_32FC1, _cells);
        using var smooth = new Mat();
        Cv2.GaussianBlur(grid, smooth, new Size(0, 0), 1.5);
        Cv2.MinMaxLoc(smooth, out _, out double max);
        using var scaled = new Mat();
        smooth.ConvertTo(scaled, MatType.CV_8UC1, max > 0 ? 255.0 / max : 0);
        using var big = new Mat();
        Cv2.Resize(scaled, big, new Size(FrameWidth, FrameHeight), interpolation: InterpolationFlags.Linear);
        using var colour = new Mat();
        Cv2.ApplyColorMap(big, colour, ColormapTypes.Jet);

        using var frame = background is not null && !background.Empty() && background.Width == FrameWidth && background.Height == FrameHeight
            ? background.Clone()
            : new Mat(FrameHeight, FrameWidth, MatType.CV_8UC3, new Scalar(96, 96, 96));
        using var blended = new Mat();
        Cv2.AddWeighted(frame, 0.45, colour, 0.55, 0, blended);
        using var mask = new Mat();
        Cv2.Threshold(big, mask, 8, 255, ThresholdTypes.Binary);
        blended.CopyTo(frame, mask);
        Cv2.ImWrite(path, frame);
    }

    /// <summary>
    /// A frame from the middle of the clip (the first when that fails), at this heatmap's size, as its backdrop.
    /// With ffmpeg it is the keyframe nearest before the middle, one frame decoded; OpenCV's exact seek decodes
    /// from the keyframe before, which took seconds at the end of each 1080p job (seen with perf).
    /// </summary>
    public async Task<Mat?> RepresentativeFrameAsync(string videoPath, string? ffmpeg, CancellationToken cancellationToken)
    {
        using var capture = new VideoCapture(videoPath);
        if (!capture.IsOpened())
        {
            return null;
        }

        var count = (int)capture.Get(VideoCaptureProperties.FrameCount);
        var fps = capture.Get(VideoCaptureProperties.Fps);
        if (ffmpeg is not null && count > 2 && double.IsFinite(fps) && fps > 0
            && await FfmpegFrameReader.KeyframeAsync(ffmpeg, videoPath, count / 2 / fps, FrameWidth, FrameHeight, cancellationToken).ConfigureAwait(false) is { } keyframe)
        {
            return keyframe;
        }

        var frame = new Mat();
        if (count > 2)
        {
            capture.Set(VideoCaptureProperties.PosFrames, count / 2);
        }

        if (capture.Read(frame) && !frame.Empty())
        {
            return frame;
        }

        capture.Set(VideoCaptureProperties.PosFrames, 0);
        if (capture.Read(frame) && !frame.Empty())
        {
            return frame;
        }

        frame.Dispose();
        return null;
    }
}
