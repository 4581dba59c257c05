using OpenCvSharp;

namespace VideoTracker.Core.Video;

/// <summary>
/// The presentation time of each decoded frame, in ms from the start of the stream: the decoder's own
/// timestamp (FFmpeg's pts, read through <c>CAP_PROP_POS_MSEC</c> right after the frame is read), so a
/// variable-frame-rate clip keeps its real timing and each frame's <c>timestamp_ms</c> is when a player
/// shows it. A frame without a usable timestamp (none, or not after the previous frame's) is put one frame
/// period of <paramref name="fps"/> after the previous one. One instance per decode, called once per frame in order.
/// </summary>
public sealed class FrameClock(double fps)
{
    private readonly double _period = 1000.0 / FrameLoop.UsableFps(fps);
    private double? _last;

    /// <summary>The time of the frame <paramref name="capture"/> has just read.</summary>
    public double Next(VideoCapture capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        return Next(capture.Get(VideoCaptureProperties.PosMsec));
    }

    /// <summary>The time of the next frame, given what the decoder says of it (ms).</summary>
    public double Next(double decoderMs)
    {
        var usable = double.IsFinite(decoderMs) && decoderMs >= 0;
        var ms = _last switch
        {
            null => usable ? decoderMs : 0,
            { } last => usable && decoderMs > last ? decoderMs : last + _period,
        };
        _last = ms;
        return Math.Round(ms, 3);
    }
}
