using System.Collections.Concurrent;
using System.Diagnostics;
using OpenCvSharp;

namespace VideoTracker.Core.Video;

/// <summary>
/// Decodes a clip with the <c>ffmpeg</c> binary into BGR frames already scaled to one size, each with its
/// presentation time. The FFmpeg inside OpenCvSharp's runtime is built without x86 assembly (no SSE/AVX
/// decoders, a C colour converter); Debian's ffmpeg decodes and scales with SIMD, and a frame scaled while
/// decoding is never copied at full size. Detection and tracking runs read through this unless they draw an
/// annotated video (which needs full frames), and so does motion detection; OpenCV decodes otherwise.
/// </summary>
/// <remarks>
/// Frames come from stdout as raw <c>bgr24</c>; times from the <c>showinfo</c> filter on stderr, one line a
/// frame, written before that frame reaches stdout. Timestamps follow ffmpeg's own (the file's start is 0), as
/// in the browser preview, which is encoded by the same binary. Not thread-safe: one reader per decoding thread.
/// </remarks>
public sealed class FfmpegFrameReader : IAsyncDisposable
{
    private const string ShowInfoMarker = "Parsed_showinfo";
    private const int ErrorLinesKept = 4;
    private readonly Process _process;
    private readonly Stream _frames;
    // Each frame's time waits at most this long for its showinfo line (written before the frame, so it is
    // normally there already); a decoder that never writes one cannot hold the pipeline.
    private static readonly TimeSpan TimeWait = TimeSpan.FromSeconds(10);
    private readonly BlockingCollection<(int Frame, double Seconds)> _times = [];
    private readonly Queue<string> _errorLines = new();
    private readonly Task _stderr;
    private readonly ManualResetEventSlim _stderrDone = new();
    private bool _ended;
    private int _frame;
    private (int Frame, double Seconds)? _early;
    private bool _timesGone;

    private FfmpegFrameReader(Process process, int width, int height)
    {
        _process = process;
        _frames = process.StandardOutput.BaseStream;
        Width = width;
        Height = height;
        FrameBytes = width * height * 3;
        _stderr = Task.Run(ReadStderrAsync);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The size of one frame: <c>Width * Height * 3</c> bytes, rows without gaps.</summary>
    public int FrameBytes { get; }

    /// <summary>
    /// Whether this reader's frames line up with those of <paramref name="capture"/> (OpenCV), so that sizes and
    /// boxes computed from <paramref name="info"/> hold: a known size and no rotation in the metadata (the two
    /// decoders would not agree on which way up).
    /// </summary>
    public static bool LinesUpWith(VideoCapture capture, VideoInfo info)
    {
        ArgumentNullException.ThrowIfNull(capture);
        ArgumentNullException.ThrowIfNull(info);
        var rotation = capture.Get(VideoCaptureProperties.OrientationMeta);
        return info.Width > 0 && info.Height > 0 && (rotation == 0 || !double.IsFinite(rotation));
    }

    /// <summary>Starts ffmpeg on <paramref name="videoPath"/>'s first video stream, scaling every frame to width x height.</summary>
    public static FfmpegFrameReader Start(string ffmpeg, string videoPath, int width, int height)
    {
        ArgumentException.ThrowIfNullOrEmpty(ffmpeg);
        ArgumentException.ThrowIfNullOrEmpty(videoPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        // One decoding thread: inference keeps the other cores busy (as in DetectionPipeline.OpenCapture).
        // showinfo logs at "info"; -nostats keeps the progress line out of stderr.
        var process = StartDecoder(
            ffmpeg,
            [
                "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info", "-threads", "1", "-i", videoPath,
                "-map", "0:v:0", "-an", "-sn", "-dn", "-fps_mode", "passthrough",
                "-vf", string.Create(CultureInfo.InvariantCulture, $"scale={width}:{height}:flags=bilinear,showinfo=checksum=0"),
                "-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1",
            ]);
        return new FfmpegFrameReader(process, width, height);
    }

    /// <summary>
    /// The keyframe at or just before <paramref name="seconds"/>, scaled to width x height: a still of the clip
    /// for the price of decoding one frame (ffmpeg seeks in the container and does not decode up to the exact
    /// time). Null when ffmpeg gives no whole frame, or cannot be started: the caller takes its still another way.
    /// </summary>
    public static async Task<Mat?> KeyframeAsync(string ffmpeg, string videoPath, double seconds, int width, int height, CancellationToken cancellationToken)
    {
        Process started;
        try
        {
            started = FfmpegProcess.Start(
                ffmpeg,
                [
                    "-nostdin", "-hide_banner", "-loglevel", "error", "-noaccurate_seek", "-ss", seconds.ToString("0.###", CultureInfo.InvariantCulture),
                    "-i", videoPath, "-map", "0:v:0", "-frames:v", "1",
                    "-vf", string.Create(CultureInfo.InvariantCulture, $"scale={width}:{height}"), "-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1",
                ]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        using var process = started;
        using var output = process.StandardOutput;   // read here, so closed here (Process.Dispose leaves it to the GC)
        using var errors = process.StandardError;
        var stderr = errors.ReadToEndAsync(cancellationToken);
        var pixels = new byte[width * height * 3];
        var read = await output.BaseStream.ReadAtLeastAsync(pixels, pixels.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await stderr.ConfigureAwait(false);
        return read == pixels.Length && process.ExitCode == 0 ? Mat.FromPixelData(height, width, MatType.CV_8UC3, pixels).Clone() : null;
    }

    /// <summary>
    /// Starts ffmpeg to decode for a job. An ffmpeg that cannot be started (removed, or not executable, since the app
    /// started) fails the job with a sentence that names it and the system's reason, not the server's paths.
    /// </summary>
    private static Process StartDecoder(string ffmpeg, IEnumerable<string> arguments)
    {
        try
        {
            return FfmpegProcess.Start(ffmpeg, arguments);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new VideoToolException(FfmpegProcess.CannotStart(ex, "decodes the video"), ex);
        }
    }

    /// <summary>
    /// Reads the next frame into <paramref name="pixels"/> (at least <see cref="FrameBytes"/> long) and its
    /// time in ms (NaN when ffmpeg gave none). False at the end of the clip, and where ffmpeg ended without a
    /// frame. When ffmpeg fails after giving frames (killed, or an error part-way), throws a
    /// <see cref="VideoToolException"/> with its exit code and last words, so a run does not end as if the clip had.
    /// </summary>
    public bool Read(Span<byte> pixels, out double timestampMs, CancellationToken cancellationToken)
    {
        timestampMs = double.NaN;
        if (_ended)
        {
            return false;
        }

        var frame = pixels[..FrameBytes];
        var read = 0;
        while (read < frame.Length)
        {
            var n = _frames.Read(frame[read..]);
            if (n == 0)
            {
                // End of stream; a partial frame at the end (ffmpeg killed or failed mid-write) is not a frame.
                _ended = true;
                _process.WaitForExit();
                _stderrDone.Wait(TimeSpan.FromSeconds(5), cancellationToken);
                if (_frame > 0 && _process.ExitCode != 0)
                {
                    throw new VideoToolException(string.Create(
                        CultureInfo.InvariantCulture, $"Decoding stopped after {_frame} frames. ffmpeg exited with code {_process.ExitCode}: {string.Join(" ", _errorLines)}"));
                }

                return false;
            }

            read += n;
        }

        timestampMs = TimeOf(_frame++, cancellationToken);
        return true;
    }

    /// <summary>The time showinfo gave frame <paramref name="frame"/> (matched by its number), in ms; NaN if it gave none.</summary>
    private double TimeOf(int frame, CancellationToken cancellationToken)
    {
        while (!_timesGone)
        {
            (int Frame, double Seconds)? line = _early;
            _early = null;
            if (line is null && _times.TryTake(out var taken, (int)TimeWait.TotalMilliseconds, cancellationToken))
            {
                line = taken;
            }

            if (line is not { } known)
            {
                _timesGone = true;
                break;
            }

            if (known.Frame == frame)
            {
                return known.Seconds * 1000;
            }

            if (known.Frame > frame)
            {
                _early = known;
                break;
            }
        }

        return double.NaN;
    }

    private async Task ReadStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Contains(ShowInfoMarker, StringComparison.Ordinal))
                {
                    if (TryParseFrame(line) is { } frame)
                    {
                        _times.Add(frame);
                    }
                }
                else
                {
                    _errorLines.Enqueue(line.Trim());
                    if (_errorLines.Count > ErrorLinesKept)
                    {
                        _errorLines.Dequeue();
                    }
                }
            }
        }
        finally
        {
            _times.CompleteAdding();
            _stderrDone.Set();
        }
    }

    /// <summary>
    /// The frame number and <c>pts_time</c> of a showinfo frame line (<c>n: 3 pts: 300 pts_time:0.3 …</c>);
    /// the time is NaN for NOPTS; null for other lines.
    /// </summary>
    internal static (int Frame, double Seconds)? TryParseFrame(string line) =>
        Field(line, " n:") is { } n && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var frame) && Field(line, " pts_time:") is { } time
            ? (frame, double.TryParse(time, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : double.NaN)
            : null;

    private static string? Field(string line, string key)
    {
        var at = line.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var value = line.AsSpan(at + key.Length).TrimStart();
        var end = value.IndexOf(' ');
        return (end >= 0 ? value[..end] : value).ToString();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().ConfigureAwait(false);
            await _stderr.ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }
        finally
        {
            // Process.Dispose leaves the streams it handed out to their reader: their pipes would wait for the GC.
            _frames.Dispose();
            _process.StandardError.Dispose();
            _process.Dispose();
            _times.Dispose();
            _stderrDone.Dispose();
        }
    }
}
