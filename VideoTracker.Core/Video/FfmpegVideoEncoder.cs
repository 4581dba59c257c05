using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using OpenCvSharp;

namespace VideoTracker.Core.Video;

/// <summary>
/// Writes BGR frames from OpenCV to an H.264 MP4 that browsers play (libx264, yuv420p, +faststart) by
/// piping raw frames to ffmpeg's stdin. OpenCV's own VideoWriter can only write MJPEG and MPEG-4 part 2.
/// One instance per output file; frames must all have the first frame's size.
/// </summary>
public sealed class FfmpegVideoEncoder : IAsyncDisposable
{
    private const int StderrLines = 20;
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly Queue<string> _stderr = new();
    private readonly byte[] _buffer;
    private bool _completed;

    private FfmpegVideoEncoder(Process process, int width, int height, string outputPath)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        Width = width;
        Height = height;
        OutputPath = outputPath;
        _buffer = new byte[width * height * 3];
    }

    public int Width { get; }

    public int Height { get; }

    public string OutputPath { get; }

    public int FramesWritten { get; private set; }

    /// <summary>
    /// Starts ffmpeg for <paramref name="outputPath"/>; the file appears complete after <see cref="CompleteAsync"/>.
    /// With <paramref name="lowPriority"/>, ffmpeg runs at idle priority (nice 19), so it yields the CPU to jobs.
    /// </summary>
    public static FfmpegVideoEncoder Start(string ffmpegPath, string outputPath, int width, int height, double fps, bool lowPriority = false)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "The frame size must be positive.");
        }

        fps = FrameLoop.UsableFps(fps);
        var start = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var arg in new[]
        {
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", $"{width}x{height}",
            "-r", fps.ToString("0.######", CultureInfo.InvariantCulture), "-i", "pipe:0",
            "-an", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
            "-movflags", "+faststart", "-f", "mp4", outputPath,
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        if (lowPriority)
        {
            try
            {
                process.PriorityClass = ProcessPriorityClass.Idle;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                // Not allowed here, or ffmpeg already exited: it runs at normal priority.
            }
        }

        var encoder = new FfmpegVideoEncoder(process, width, height, outputPath);
        process.ErrorDataReceived += (_, e) => encoder.KeepStderr(e.Data);
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return encoder;
    }

    /// <summary>Writes one frame (8-bit BGR, the encoder's size).</summary>
    public async ValueTask WriteAsync(Mat frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Width != Width || frame.Height != Height || frame.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Expected a {Width}x{Height} BGR frame, got {frame.Width}x{frame.Height} {frame.Type()}.", nameof(frame));
        }

        var rowBytes = Width * 3;
        if (frame.IsContinuous())
        {
            Marshal.Copy(frame.Data, _buffer, 0, _buffer.Length);
        }
        else
        {
            for (var y = 0; y < Height; y++)
            {
                Marshal.Copy(frame.Ptr(y), _buffer, y * rowBytes, rowBytes);
            }
        }

        try
        {
            await _stdin.WriteAsync(_buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new IOException($"ffmpeg stopped taking frames: {StderrTail()}", ex);
        }

        FramesWritten++;
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
            try
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
            }

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

        _process.Dispose();
    }

    private void KeepStderr(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.Enqueue(line);
            while (_stderr.Count > StderrLines)
            {
                _stderr.Dequeue();
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
