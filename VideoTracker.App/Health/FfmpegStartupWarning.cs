using VideoTracker.Core.Video;

namespace VideoTracker.App.Health;

/// <summary>Warns once, at start-up, when ffmpeg is missing; <c>/health/ready</c> then reports it as degraded.</summary>
internal sealed partial class FfmpegStartupWarning(FfmpegLocator ffmpeg, ILogger<FfmpegStartupWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!ffmpeg.IsAvailable)
        {
            FfmpegMissing(logger, ffmpeg.UnavailableEffect);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(4101, LogLevel.Warning, "{Effect}")]
    private static partial void FfmpegMissing(ILogger logger, string effect);
}
