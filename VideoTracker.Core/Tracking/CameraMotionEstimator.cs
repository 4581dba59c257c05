using OpenCvSharp;

namespace VideoTracker.Core.Tracking;

/// <summary>
/// Estimates how the camera moved between consecutive analysed frames, the way BoT-SORT's sparse
/// optical-flow GMC does: on a grey copy of the frame downscaled to at most <see cref="WorkWidth"/>
/// pixels wide, corners found on the previous frame (away from the detections, which move on their own)
/// are followed into this one by pyramidal Lucas–Kanade, and a similarity transform is fitted to the
/// pairs with RANSAC. The translation is scaled back to source pixels. Frames where too few corners
/// survive give <see cref="CameraMotion.Identity"/>. One instance per job; not thread-safe.
/// </summary>
public sealed class CameraMotionEstimator : IDisposable
{
    /// <summary>The widest frame the estimate works on; wider frames are downscaled by a whole factor.</summary>
    public const int WorkWidth = 480;

    private const int MaxCorners = 300;
    private const int MinPairs = 10;

    // In working pixels: tight, so that people walking slowly are outliers rather than pulling the fit.
    private const double RansacThreshold = 1.0;

    private Mat _grey = new();
    private Mat _previousGrey = new();
    private readonly Mat _small = new();
    private readonly Mat _mask = new();
    private Point2f[] _previousCorners = [];

    /// <summary>The motion from the previous call's frame to <paramref name="frame"/> (BGR or grey), in its pixels.</summary>
    /// <param name="frame">This frame, at source resolution or scaled by <paramref name="frameScale"/>.</param>
    /// <param name="foreground">This frame's detections (source pixels), masked out of the corners followed into the next frame.</param>
    /// <param name="frameScale">Frame pixels per source pixel: below 1 when the decoder scaled the frame already.</param>
    public CameraMotion Estimate(Mat frame, ReadOnlySpan<TrackerInput> foreground, double frameScale = 1)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameScale);
        var whole = Math.Max(1, (int)Math.Ceiling(frame.Width / (double)WorkWidth));
        var source = frame;
        if (whole > 1)
        {
            Cv2.Resize(frame, _small, new Size(frame.Width / whole, frame.Height / whole), 0, 0, InterpolationFlags.Area);
            source = _small;
        }

        // Source pixels per working pixel.
        var factor = whole / frameScale;

        if (source.Channels() == 1)
        {
            source.CopyTo(_grey);
        }
        else
        {
            Cv2.CvtColor(source, _grey, source.Channels() == 4 ? ColorConversionCodes.BGRA2GRAY : ColorConversionCodes.BGR2GRAY);
        }

        var motion = CameraMotion.Identity;
        if (_previousCorners.Length >= MinPairs && _previousGrey.Size() == _grey.Size())
        {
            motion = Follow(factor);
        }

        _mask.Create(_grey.Size(), MatType.CV_8UC1);
        _mask.SetTo(Scalar.All(255));
        foreach (var d in foreground)
        {
            var rect = new Rect((int)(d.X1 / factor), (int)(d.Y1 / factor), (int)Math.Ceiling((d.X2 - d.X1) / factor) + 1, (int)Math.Ceiling((d.Y2 - d.Y1) / factor) + 1);
            Cv2.Rectangle(_mask, rect, Scalar.All(0), -1);
        }

        _previousCorners = Cv2.GoodFeaturesToTrack(_grey, MaxCorners, 0.01, 1, _mask, 3, false, 0.04);
        (_previousGrey, _grey) = (_grey, _previousGrey);
        return motion;
    }

    private CameraMotion Follow(double factor)
    {
        var next = Array.Empty<Point2f>();
        Cv2.CalcOpticalFlowPyrLK(_previousGrey, _grey, _previousCorners, ref next, out var status, out _);
        var from = new List<Point2f>(next.Length);
        var to = new List<Point2f>(next.Length);
        for (var i = 0; i < next.Length; i++)
        {
            if (status[i] != 0)
            {
                from.Add(_previousCorners[i]);
                to.Add(next[i]);
            }
        }

        if (from.Count < MinPairs)
        {
            return CameraMotion.Identity;
        }

        using var fromPoints = InputArray.Create(from);
        using var toPoints = InputArray.Create(to);
        using var fit = Cv2.EstimateAffinePartial2D(fromPoints, toPoints, null, RobustEstimationAlgorithms.RANSAC, RansacThreshold);
        if (fit is null || fit.Empty())
        {
            return CameraMotion.Identity;
        }

        return new CameraMotion(
            fit.At<double>(0, 0), fit.At<double>(0, 1), fit.At<double>(1, 0), fit.At<double>(1, 1),
            fit.At<double>(0, 2) * factor, fit.At<double>(1, 2) * factor);
    }

    public void Dispose()
    {
        _grey.Dispose();
        _previousGrey.Dispose();
        _small.Dispose();
        _mask.Dispose();
    }
}
