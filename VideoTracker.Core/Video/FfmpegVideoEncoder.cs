using System.Diagnostics;
using System.Runtime.InteropServices;
using OpenCvSharp;
using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Video;

/// <summary>
/// Writes BGR frames from OpenCV to an H.264 MP4 that browsers play (libx264, yuv420p, +faststart) by
/// piping them to ffmpeg's stdin, each with its presentation time (<see cref="MatroskaRawVideo"/>), so the
/// MP4 shows every frame when the source did, at a variable frame rate too. OpenCV's own VideoWriter can only
/// write MJPEG and MPEG-4 part 2. One instance per output file; frames must all have the first frame's size.
/// </summary>
public sealed class FfmpegVideoEncoder : IAsyncDisposable
{
    private const int StderrLines = 20;
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly Queue<string> _stderr = new();
    private readonly byte[] _buffer;
    private readonly byte[] _header;
    private double? _lastMs;
    private bool _completed;

    private FfmpegVideoEncoder(Process process, int width, int height, double fps, string outputPath)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        Width = width;
        Height = height;
        OutputPath = outputPath;
        _buffer = new byte[MatroskaRawVideo.FrameHeaderBytes + (width * height * 3)];
        _header = MatroskaRawVideo.Header(width, height, fps);
    }

    public int Width { get; }

    public int Height { get; }

    public string OutputPath { get; }

    /// <summary>
    /// Starts ffmpeg for <paramref name="outputPath"/>; the file appears complete after <see cref="CompleteAsync"/>.
    /// <paramref name="fps"/> is the clip's nominal rate: the frames keep their own times, and only the last one's
    /// length comes from it. With <paramref name="lowPriority"/>, ffmpeg runs at idle priority (nice 19), so it
    /// yields the CPU to jobs.
    /// </summary>
    public static FfmpegVideoEncoder Start(string ffmpegPath, string outputPath, int width, int height, double fps, bool lowPriority = false)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "The frame size must be positive.");
        }

        var process = FfmpegProcess.Start(
            ffmpegPath,
            [
                "-hide_banner", "-loglevel", "error", "-y",
                "-f", "matroska", "-i", "pipe:0",
                .. KeepFrameTimes,
                .. BrowserH264Output(outputPath),
            ],
            redirectInput: true,
            lowPriority);

        var encoder = new FfmpegVideoEncoder(process, width, height, fps, outputPath);
        process.ErrorDataReceived += (_, e) => encoder.KeepStderr(e.Data);
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return encoder;
    }

    /// <summary>
    /// Encodes the video stream of <paramref name="inputPath"/> to a browser-playable H.264 MP4 at
    /// <paramref name="outputPath"/>, keeping every frame and its timestamp (no frame-rate conversion), so a
    /// variable-frame-rate clip stays variable and each frame plays at the time FFmpeg decodes it at.
    /// <paramref name="framesDone"/> hears the frame count as ffmpeg reports it. Returns null on success,
    /// else what ffmpeg said (which names the files, so it is for the log, not for a client); a partial output is
    /// deleted. A write that found the disk full is a failure, whatever ffmpeg's exit code. When
    /// <paramref name="cancellationToken"/> is cancelled, ffmpeg is killed at once (in the cancelling call itself), the
    /// partial output is deleted once it has exited, and <see cref="OperationCanceledException"/> is thrown. An ffmpeg whose
    /// frame count has not advanced for <paramref name="stallLimit"/> (stuck on its input: a pipe nobody writes, a
    /// network share that stopped answering) is killed too: <see cref="TimeoutException"/>.
    /// </summary>
    public static async Task<string?> TranscodeAsync(
        string ffmpegPath, string inputPath, string outputPath, bool lowPriority, Action<int>? framesDone, TimeSpan stallLimit, CancellationToken cancellationToken)
    {
        // Declared before the process, so disposed after it: ffmpeg's last progress line may still restart it.
        using var stalled = new CancellationTokenSource(stallLimit);
        var lastFrames = -1;
        using var process = FfmpegProcess.Start(
            ffmpegPath,
            [
                "-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-y",
                "-i", inputPath, "-map", "0:v:0", "-sn", "-dn",
                .. KeepFrameTimes,
                .. BrowserH264Output(outputPath),
            ],
            lowPriority: lowPriority);
        var stderr = new Queue<string>();
        process.ErrorDataReceived += (_, e) => KeepLine(stderr, e.Data);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("frame=", StringComparison.Ordinal)
                && int.TryParse(line.AsSpan("frame=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var frames))
            {
                if (frames != lastFrames)
                {
                    lastFrames = frames;
                    stalled.CancelAfter(stallLimit);
                }

                framesDone?.Invoke(frames);
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using (cancellationToken.Register(static p => Kill((Process)p!), process))
        using (stalled.Token.Register(static p => Kill((Process)p!), process))
        {
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        process.WaitForExit(); // drains the redirected output
        if (cancellationToken.IsCancellationRequested)
        {
            File.Delete(outputPath);
            cancellationToken.ThrowIfCancellationRequested();
        }

        // Killed for its stall, rather than ending well as the limit ran out.
        if (stalled.IsCancellationRequested && process.ExitCode != 0)
        {
            File.Delete(outputPath);
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"ffmpeg made no progress for {stallLimit.TotalSeconds:0.#} s (at frame {Math.Max(lastFrames, 0)}) and was stopped"));
        }

        string said;
        lock (stderr)
        {
            said = stderr.Count == 0 ? "no message" : string.Join(" | ", stderr);
        }

        // ffmpeg exits with 0 when only its trailer could not be written for lack of space: the file is cut off.
        if (process.ExitCode == 0 && File.Exists(outputPath) && !DiskFull.InToolOutput(said))
        {
            return null;
        }

        File.Delete(outputPath);
        return $"ffmpeg exited with code {process.ExitCode}: {said}";
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }

    /// <summary>Every frame is encoded once, at its input time and in the input's time base: no frame-rate conversion.</summary>
    private static readonly string[] KeepFrameTimes = ["-fps_mode", "passthrough", "-enc_time_base", "-1"];

    /// <summary>
    /// No audio, even dimensions, H.264 in yuv420p, the index first (+faststart): what every browser plays. Square
    /// pixels (setsar=1): a browser sizes a video by its display shape (720x480 at 4:3 pixels is 960 wide), and the
    /// player and zone editor draw boxes in the clip's own pixels, so the picture must be as many pixels wide as they.
    /// </summary>
    private static string[] BrowserH264Output(string outputPath) =>
    [
        "-an", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2,setsar=1",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
        "-movflags", "+faststart", "-f", "mp4", outputPath,
    ];

    /// <summary>
    /// Writes one frame (8-bit BGR, the encoder's size) to be shown at <paramref name="timestampMs"/> from the
    /// start. Times must rise; one that does not is put 1 µs after the previous frame's, so no frame is dropped.
    /// </summary>
    public async ValueTask WriteAsync(Mat frame, double timestampMs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Width != Width || frame.Height != Height || frame.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Expected a {Width}x{Height} BGR frame, got {frame.Width}x{frame.Height} {frame.Type()}.", nameof(frame));
        }

        timestampMs = _lastMs is { } last ? Math.Max(timestampMs, last + 0.001) : Math.Max(timestampMs, 0);
        var rowBytes = Width * 3;
        var pixels = _buffer.Length - MatroskaRawVideo.FrameHeaderBytes;
        MatroskaRawVideo.WriteFrameHeader(_buffer, timestampMs, pixels);
        if (frame.IsContinuous())
        {
            Marshal.Copy(frame.Data, _buffer, MatroskaRawVideo.FrameHeaderBytes, pixels);
        }
        else
        {
            for (var y = 0; y < Height; y++)
            {
                Marshal.Copy(frame.Ptr(y), _buffer, MatroskaRawVideo.FrameHeaderBytes + (y * rowBytes), rowBytes);
            }
        }

        try
        {
            if (_lastMs is null)
            {
                await _stdin.WriteAsync(_header, cancellationToken).ConfigureAwait(false);
            }

            await _stdin.WriteAsync(_buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new IOException($"ffmpeg stopped taking frames: {StderrTail()}", ex);
        }

        _lastMs = timestampMs;
    }

    /// <summary>Closes the input and waits for ffmpeg. Returns null on success, else what ffmpeg said.</summary>
    public async Task<string?> CompleteAsync(CancellationToken cancellationToken)
    {
        _completed = true;
        try
        {
            await _stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
            _stdin.Close();
        }
        catch (IOException)
        {
            // ffmpeg already exited; its exit code and stderr say why.
        }

        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return _process.ExitCode == 0 && File.Exists(OutputPath)
            ? null
            : $"ffmpeg exited with code {_process.ExitCode}: {StderrTail()}";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed || !_process.HasExited)
        {
            Kill(_process);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);

            if (!_completed)
            {
                try
                {
                    File.Delete(OutputPath);
                }
                catch (IOException)
                {
                }
            }
        }

        // Closed by CompleteAsync, not when the encode was given up: Process.Dispose leaves it to the GC.
        _stdin.Dispose();
        _process.Dispose();
    }

    private void KeepStderr(string? line) => KeepLine(_stderr, line);

    /// <summary>Keeps the last <see cref="StderrLines"/> non-blank lines.</summary>
    private static void KeepLine(Queue<string> lines, string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (lines)
        {
            lines.Enqueue(line);
            while (lines.Count > StderrLines)
            {
                lines.Dequeue();
            }
        }
    }

    private string StderrTail()
    {
        lock (_stderr)
        {
            return _stderr.Count == 0 ? "no message" : string.Join(" | ", _stderr);
        }
    }
}
