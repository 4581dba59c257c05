namespace VideoTracker.Core.Video;

/// <summary>
/// Says why OpenCV could not open or decode a clip, from what <see cref="Ffprobe"/> finds in it: no video stream, a
/// video codec this server cannot decode, a file cut off or damaged, or no media at all. Which codecs OpenCV decodes is
/// not listed anywhere: a video that ffprobe decodes and OpenCV did not is, by that, one this server cannot decode.
/// Without ffprobe, or when it gives no answer, the caller's own message stands.
/// </summary>
public sealed class UnreadableClips(FfmpegLocator ffmpeg, ILogger<UnreadableClips> logger)
{
    public const string IndexMissing = "The file is incomplete or damaged (the MP4 index is missing: was the upload or recording cut off?).";

    public const string EndsPartWay = "The file is incomplete or damaged (it ends part-way through its video: was the upload or recording cut off?).";

    /// <summary>What ffprobe says of an MP4 without its index, and of any file named .mp4 that is none.</summary>
    private const string MoovMissing = "moov atom not found";

    public const string NotMedia = "The file is not a video, nor in any audio or video format that this server recognises.";

    /// <summary>The detail for a clip OpenCV could not read: ffprobe's explanation, or <paramref name="fallback"/>. Throws only when cancelled.</summary>
    public async Task<string> ExplainAsync(string path, string fallback, CancellationToken cancellationToken)
    {
        if (ffmpeg.ProbePath is not { } ffprobe)
        {
            return fallback;
        }

        FfprobeReport? report;
        try
        {
            report = await Ffprobe.ProbeAsync(ffprobe, path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ProbeFailed(logger, ex);
            return fallback;
        }

        if (report is null)
        {
            Log.ProbeGaveNoAnswer(logger);
            return fallback;
        }

        var detail = Explain(report) ?? fallback;
        Log.ClipExplained(logger, report.ExitCode, string.Join(" | ", report.Errors), detail);
        return detail;
    }

    /// <summary>
    /// The detail for a tool's failure on the clip at <paramref name="path"/>: why the clip cannot be read when that was
    /// the failure (<see cref="VideoToolException.ClipUnreadable"/>), else the failure's own message.
    /// </summary>
    public Task<string> DetailAsync(string path, VideoToolException failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.ClipUnreadable ? ExplainAsync(path, failure.Message, cancellationToken) : Task.FromResult(failure.Message);
    }

    /// <summary>The cause ffprobe's report shows, or null when it shows none.</summary>
    public static string? Explain(FfprobeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.ExitCode != 0)
        {
            return report switch
            {
                { StartsLikeMp4: true } when report.Says(MoovMissing) => IndexMissing,
                { Errors: [] } => null,
                _ when report.Errors.All(e => e.Contains(MoovMissing, StringComparison.OrdinalIgnoreCase)
                    || e.Contains("Invalid data found when processing input", StringComparison.OrdinalIgnoreCase)) => NotMedia,
                _ => $"The file is not a video that can be opened: {report.Errors[0].TrimEnd('.')}.",
            };
        }

        if (report.Streams.FirstOrDefault(s => s.IsVideo) is not { } video)
        {
            return report.Streams.Count == 0
                ? "The file has no video stream, nor any other stream."
                : $"The file has no video stream: it holds only {Describe(report.Streams)}.";
        }

        var codec = video.Codec.ToUpperInvariant();
        if (report.DecodedVideoFrames > 0)
        {
            return $"The file's video is {codec}, which this server cannot decode; convert it to H.264, e.g. `ffmpeg -i in.mkv -c:v libx264 out.mp4`.";
        }

        return report switch
        {
            _ when report.Says("partial file") => EndsPartWay,
            { Errors: [var first, ..] } => $"The file is damaged: its video ({codec}) opens, but its first frames do not decode ({first}).",
            _ => $"The file is damaged: its video ({codec}) opens, but its first frames do not decode.",
        };
    }

    /// <summary>"audio (aac)", "audio (aac, mp3) and a cover picture (mjpeg)": each kind of stream with its codecs.</summary>
    private static string Describe(IEnumerable<MediaStream> streams) => string.Join(" and ", streams
        .GroupBy(s => s.IsCoverPicture ? "a cover picture" : s.Type == "subtitle" ? "subtitles" : s.Type, StringComparer.Ordinal)
        .Select(g => $"{g.Key} ({string.Join(", ", g.Select(s => s.Codec).Distinct(StringComparer.Ordinal))})"));
}
