using System.Diagnostics;
using System.Text;

namespace VideoTracker.Core.Video;

/// <summary>One stream of a media file as ffprobe sees it: its type (<c>video</c>, <c>audio</c>, …) and codec.</summary>
/// <param name="IsCoverPicture">A still picture attached to the file (album art), not a video.</param>
public sealed record MediaStream(string Type, string Codec, bool IsCoverPicture)
{
    public bool IsVideo => Type == "video" && !IsCoverPicture;
}

/// <summary>
/// What ffprobe said about a file: its streams, how many video frames its own decoder got out of the first packets,
/// and its error lines (control characters removed, each cut to <see cref="Ffprobe.MaxLineLength"/>, without the
/// file's path). <see cref="ExitCode"/> is not 0 when ffprobe could not open the file at all.
/// </summary>
/// <param name="StartsLikeMp4">
/// The file begins with a box that opens an MP4 or MOV (<c>ftyp</c>, <c>mdat</c>, …). ffprobe picks its MP4 reader by
/// the name too, so "moov atom not found" alone is no sign that a file named .mp4 is one.
/// </param>
public sealed record FfprobeReport(int ExitCode, IReadOnlyList<MediaStream> Streams, int DecodedVideoFrames, IReadOnlyList<string> Errors, bool StartsLikeMp4 = false)
{
    public bool Says(string message) => Errors.Any(e => e.Contains(message, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Runs Debian's <c>ffprobe</c> on a file as a child process (no shell; the arguments as a list), with a time limit:
/// <c>-v error -print_format json -show_streams -show_format</c>, plus the first <see cref="PacketsDecoded"/> packets
/// of each stream decoded (<c>-show_frames</c>), which tells a codec nobody here decodes from a body that decodes nowhere.
/// </summary>
public static class Ffprobe
{
    /// <summary>How long ffprobe may take before it is stopped and the answer is "unknown".</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public const int PacketsDecoded = 10;

    public const int MaxLineLength = 200;

    private const int MaxErrorLines = 8;

    private const int MaxOutputChars = 1 << 20;

    /// <summary>The box types an MP4 or MOV file starts with.</summary>
    private static readonly HashSet<string> Mp4FirstBoxes = new(["ftyp", "moov", "mdat", "free", "skip", "wide", "pnot"], StringComparer.Ordinal);

    /// <summary>The report, or null when ffprobe did not start, ran past <see cref="Timeout"/> or wrote no JSON.</summary>
    public static async Task<FfprobeReport?> ProbeAsync(string ffprobePath, string clipPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(ffprobePath);
        ArgumentException.ThrowIfNullOrEmpty(clipPath);

        // "file:" with the full path: never another protocol, and never read as an option, whatever the name.
        var input = "file:" + Path.GetFullPath(clipPath);
        Process process;
        try
        {
            process = FfmpegProcess.Start(
                ffprobePath,
                [
                    "-v", "error", "-print_format", "json", "-show_streams", "-show_format",
                    "-show_frames", "-show_entries", "frame=media_type,stream_index", "-read_intervals", $"%+#{PacketsDecoded}",
                    "-i", input,
                ],
                redirectInput: true);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }

        // The streams read here are closed here: Process.Dispose leaves those it handed out to the GC.
        using (process)
        using (var stdout = process.StandardOutput)
        using (var stderr = process.StandardError)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            process.StandardInput.Close();
            timeout.CancelAfter(Timeout);
            var output = ReadBoundedAsync(stdout, MaxOutputChars);
            var errors = ReadBoundedAsync(stderr, MaxErrorLines * (MaxLineLength + 100));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It exited on its own meanwhile.
                }

                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);

                // Closing its output ends the two readers, even while something it started still holds the pipes; they
                // are awaited here, never left to fault later with nobody to observe it.
                stdout.Dispose();
                stderr.Dispose();
                await ((Task)Task.WhenAll(output, errors)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }

            return Parse(process.ExitCode, await output.ConfigureAwait(false), await errors.ConfigureAwait(false), input, StartsLikeMp4(clipPath));
        }
    }

    /// <summary>Reads a stream to its end, keeping the first <paramref name="limit"/> characters (the rest is drained, so the child never blocks).</summary>
    private static async Task<string> ReadBoundedAsync(StreamReader reader, int limit)
    {
        var kept = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            kept.Append(buffer, 0, Math.Min(read, Math.Max(0, limit - kept.Length)));
        }

        return kept.ToString();
    }

    internal static FfprobeReport? Parse(int exitCode, string json, string stderr, string input, bool startsLikeMp4)
    {
        // The path goes first (as given, and as ffmpeg logs it): a name with a line break in it would be split across lines.
        foreach (var path in (string[])[input, AsLogged(input)])
        {
            stderr = stderr.Replace(path + ": ", string.Empty, StringComparison.Ordinal).Replace(path, "the file", StringComparison.Ordinal);
        }

        var errors = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(CleanLine)
            .Where(line => line.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxErrorLines)
            .ToList();
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var streams = Items(root, "streams").Select(s => new MediaStream(
                Text(s, "codec_type") ?? "unknown",
                Text(s, "codec_name") ?? "unknown",
                s.TryGetProperty("disposition", out var disposition) && disposition.TryGetProperty("attached_pic", out var attached)
                    && attached.ValueKind == JsonValueKind.Number && attached.GetInt32() == 1)).ToList();
            var decoded = Items(root, "frames").Count(f => Text(f, "media_type") == "video"
                && f.TryGetProperty("stream_index", out var index) && index.TryGetInt32(out var i) && i >= 0 && i < streams.Count && streams[i].IsVideo);
            return new FfprobeReport(exitCode, streams, decoded, errors, startsLikeMp4);
        }
        catch (JsonException)
        {
            // ffprobe that could not open the file at all may write no JSON.
            return exitCode == 0 ? null : new FfprobeReport(exitCode, [], 0, errors, startsLikeMp4);
        }
    }

    /// <summary>The text as ffmpeg's log writes it: control characters other than backspace to carriage return become '?'.</summary>
    private static string AsLogged(string text) => new([.. text.Select(c => c < '\b' || (c > '\r' && c < ' ') ? '?' : c)]);

    private static bool StartsLikeMp4(string path)
    {
        var head = new byte[8];
        try
        {
            using var file = File.OpenRead(path);
            return file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length
                && Mp4FirstBoxes.Contains(Encoding.ASCII.GetString(head, 4, 4));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static JsonElement[] Items(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray()]
            : [];

    /// <summary>A short name from ffprobe (a codec, a stream type): letters, digits, <c>_ . -</c>, at most 32 characters; null otherwise.</summary>
    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 32 } text
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')
            ? text
            : null;

    /// <summary>
    /// One of ffprobe's error lines, fit to show people and to log: without the <c>[mov,mp4 @ 0x…]</c> prefix,
    /// printable characters only, at most <see cref="MaxLineLength"/> characters.
    /// </summary>
    private static string CleanLine(string line)
    {
        if (line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is > 0 and var end)
        {
            line = line[(end + 2)..];
        }

        var printable = new string(line.Where(c => !char.IsControl(c) && c is not ('\u2028' or '\u2029')).ToArray()).Trim();
        if (printable.Length <= MaxLineLength)
        {
            return printable;
        }

        var cut = char.IsHighSurrogate(printable[MaxLineLength - 1]) ? MaxLineLength - 1 : MaxLineLength;
        return printable[..cut] + "…";
    }
}
