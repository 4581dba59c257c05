namespace VideoTracker.Core.Video;

internal static partial class Log
{
    [LoggerMessage(5101, LogLevel.Warning, "The browser preview of job {JobId} could not be made in the background")]
    public static partial void PreviewFailed(ILogger logger, Guid jobId, Exception exception);
}
