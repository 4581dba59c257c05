namespace VideoTracker.Core.Video;

internal static partial class Log
{
    [LoggerMessage(5101, LogLevel.Warning, "The browser preview of job {JobId} could not be made")]
    public static partial void PreviewFailed(ILogger logger, Guid jobId, Exception exception);

    /// <param name="errors">ffprobe's error lines, cleaned by <see cref="Ffprobe"/>: no control characters, each line cut short.</param>
    [LoggerMessage(5102, LogLevel.Information, "A clip OpenCV could not read was explained by ffprobe (exit code {ExitCode}, errors: {Errors}): {Detail}")]
    public static partial void ClipExplained(ILogger logger, int exitCode, string errors, string detail);

    [LoggerMessage(5103, LogLevel.Warning, "ffprobe gave no answer about a clip OpenCV could not read (it did not start, ran past its time limit or wrote no JSON)")]
    public static partial void ProbeGaveNoAnswer(ILogger logger);

    [LoggerMessage(5104, LogLevel.Warning, "ffprobe failed on a clip OpenCV could not read; the refusal stays generic")]
    public static partial void ProbeFailed(ILogger logger, Exception exception);

    [LoggerMessage(5105, LogLevel.Information, "The browser preview of job {JobId} was encoded on this node in {Seconds:F1}s")]
    public static partial void PreviewEncoded(ILogger logger, Guid jobId, double seconds);

    [LoggerMessage(5106, LogLevel.Information, "The browser preview of job {JobId} is being encoded elsewhere (another node or request); waiting for it")]
    public static partial void PreviewWaiting(ILogger logger, Guid jobId);

    [LoggerMessage(5107, LogLevel.Warning, "The browser preview of job {JobId} is being encoded elsewhere, but that encode has not advanced for {Seconds} s (Jobs:PreviewStallSeconds); stopped waiting for it")]
    public static partial void PreviewStalled(ILogger logger, Guid jobId, int seconds);

    [LoggerMessage(5108, LogLevel.Warning, "The browser preview of job {JobId} was not encoded: the disk has {FreeBytes} bytes free (Storage:MinFreeBytes is {MinFreeBytes}), or no more than when its last encode found it full")]
    public static partial void PreviewRefusedLowDisk(ILogger logger, Guid jobId, long freeBytes, long minFreeBytes);

    [LoggerMessage(5109, LogLevel.Warning, "The browser preview of job {JobId} could not be encoded: the disk became full ({FreeBytes} bytes were free when it started); no new encode until more is free")]
    public static partial void PreviewDiskFull(ILogger logger, Guid jobId, long freeBytes);

    [LoggerMessage(5110, LogLevel.Information, "The encode of the browser preview of job {JobId} was stopped because the app is stopping: ffmpeg killed, its part file deleted")]
    public static partial void PreviewStopped(ILogger logger, Guid jobId);
}
