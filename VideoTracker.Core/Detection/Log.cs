namespace VideoTracker.Core.Detection;

internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Information, "Model {File} loaded on {Device}: {Format}, input {Width}x{Height}, {Classes} classes")]
    public static partial void ModelLoaded(ILogger logger, string file, string device, string format, int width, int height, int classes);

    [LoggerMessage(2002, LogLevel.Information, "Detection model found at {Path}")]
    public static partial void ModelFound(ILogger logger, string path);

    [LoggerMessage(2003, LogLevel.Warning, "Detection tools are unavailable: {Reason}")]
    public static partial void ModelUnavailable(ILogger logger, string reason);

    [LoggerMessage(2010, LogLevel.Warning, "Detection tools are unavailable: the model file set in Detection:ModelPath does not exist: {Path}")]
    public static partial void ModelFileMissing(ILogger logger, string path);

    [LoggerMessage(2004, LogLevel.Information, "Downloading the detection model from {Url} to {Path}")]
    public static partial void DownloadStarted(ILogger logger, string url, string path);

    [LoggerMessage(2005, LogLevel.Information, "Model download: {Received} of {Total} bytes ({Percent}%)")]
    public static partial void DownloadProgress(ILogger logger, long received, long? total, int? percent);

    [LoggerMessage(2006, LogLevel.Information, "Model downloaded: {Bytes} bytes, sha256 {Sha256}")]
    public static partial void DownloadFinished(ILogger logger, long bytes, string sha256);

    [LoggerMessage(2007, LogLevel.Warning, "The model download failed: {Reason}")]
    public static partial void DownloadFailed(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(2009, LogLevel.Warning, "The detection model could not be loaded on {Device} at start-up")]
    public static partial void WarmUpFailed(ILogger logger, string device, Exception exception);

    [LoggerMessage(2008, LogLevel.Warning, "The annotated video was not produced: {Reason}")]
    public static partial void AnnotationFailed(ILogger logger, string reason);
}
