namespace VideoTracker.Core.Video;

internal static partial class Log
{
    [LoggerMessage(5101, LogLevel.Warning, "The browser preview of job {JobId} could not be made in the background")]
    public static partial void PreviewFailed(ILogger logger, Guid jobId, Exception exception);

    [LoggerMessage(5102, LogLevel.Information, "The browser preview of job {JobId} was encoded on this node in {Seconds:F1}s")]
    public static partial void PreviewEncoded(ILogger logger, Guid jobId, double seconds);

    [LoggerMessage(5103, LogLevel.Information, "The browser preview of job {JobId} is being encoded elsewhere (another node or request); waiting for it")]
    public static partial void PreviewWaiting(ILogger logger, Guid jobId);
}
