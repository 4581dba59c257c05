using System.Diagnostics;

namespace VideoTracker.Tests.Support;

/// <summary>
/// A variable-frame-rate H.264 MP4 made with Debian's ffmpeg: a white <see cref="Side"/>-pixel square on grey
/// whose left edge is at x = <see cref="Step"/> × the frame's index, and frame k presented at
/// 30·k² + 10·k ms, so the gaps between frames grow from 40 ms by 60 ms each. <see cref="TimestampsMs"/> are
/// the presentation times ffprobe reads back from the file.
/// </summary>
public sealed class VariableFrameRateClip
{
    public const int Width = 320;
    public const int Height = 240;
    public const int Side = 48;
    public const int Step = 20;
    public const int Top = (Height - Side) / 2;

    private VariableFrameRateClip(string path, IReadOnlyList<double> timestampsMs) => (Path, TimestampsMs) = (path, timestampsMs);

    public string Path { get; }

    public IReadOnlyList<double> TimestampsMs { get; }

    /// <summary>Where frame <paramref name="index"/> was written: 30·k² + 10·k ms.</summary>
    public static double WrittenMs(int index) => (30.0 * index * index) + (10.0 * index);

    /// <summary>The square's left edge in frame <paramref name="index"/>.</summary>
    public static int SquareLeft(int index) => Step * index;

    /// <summary>
    /// A JavaScript function <c>(video, y) => x</c>: the left edge of the white square on row <c>y</c> of the picture
    /// a video element shows, in the video's own pixels, or -1 when the row has none.
    /// </summary>
    public const string SquareLeftScript =
        @"(video, y) => {
            const picture = document.createElement('canvas');
            picture.width = video.videoWidth;
            picture.height = video.videoHeight;
            const context = picture.getContext('2d');
            context.drawImage(video, 0, 0);
            const row = context.getImageData(0, y, picture.width, 1).data;
            for (let x = 0; x < picture.width; x++) { if (row[4 * x] > 160) { return x; } }
            return -1;
        }";

    public static async Task<VariableFrameRateClip> CreateAsync(string directory, int frames = 14, string name = "vfr.mp4")
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, name);

        // The colour source runs at 10 fps, so t × 10 × Step is the index × Step; setpts then spreads the frames out.
        var seconds = (frames / 10.0).ToString("0.0##", CultureInfo.InvariantCulture);
        await RunAsync(
            "ffmpeg",
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"color=c=0x3c3c3c:s={Width}x{Height}:r=10:d={seconds}",
            "-f", "lavfi", "-i", $"color=c=white:s={Side}x{Side}:r=10:d={seconds}",
            "-filter_complex", $"[0:v][1:v]overlay=x=t*{10 * Step}:y={Top}:eval=frame,settb=1/1000,setpts=30*N*N+10*N",
            "-fps_mode", "passthrough", "-enc_time_base", "1/1000",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path);
        return new VariableFrameRateClip(path, await FrameTimesMsAsync(path));
    }

    /// <summary>The presentation time of every frame of a video file, in ms, as ffprobe reads them back.</summary>
    public static async Task<IReadOnlyList<double>> FrameTimesMsAsync(string path)
    {
        var probed = await RunAsync(
            "ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts_time", "-of", "csv=p=0", path);
        return [.. probed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => Math.Round(double.Parse(line.TrimEnd(','), CultureInfo.InvariantCulture) * 1000, 3))];
    }

    /// <summary>Runs a tool (ffmpeg, ffprobe) to the end; its stdout, or an exception with its stderr when it fails.</summary>
    internal static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
