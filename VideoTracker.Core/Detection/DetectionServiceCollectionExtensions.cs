using Microsoft.Extensions.DependencyInjection;

namespace VideoTracker.Core.Detection;

public static class DetectionServiceCollectionExtensions
{
    /// <summary>
    /// Detection: the model (found or downloaded once), shared ONNX Runtime sessions, the yolo-tracker
    /// plugin, and ffmpeg for annotated videos and previews.
    /// </summary>
    public static IServiceCollection AddDetection(this IServiceCollection services)
    {
        services.AddOptions<DetectionOptions>().BindConfiguration(DetectionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(ModelDownloadService.HttpClientName);
        services.AddSingleton<DetectionModel>();
        services.AddSingleton<DetectorSessions>();
        services.AddSingleton<FfmpegLocator>();
        services.AddSingleton<UnreadableClips>();
        services.AddSingleton<PreviewVideos>();
        services.AddHostedService(sp => sp.GetRequiredService<PreviewVideos>()); // waits at shutdown for the stopped encodes to clean up
        services.AddSingleton<IVideoPlugin, YoloTrackerPlugin>();
        services.AddHostedService<ModelDownloadService>();
        return services;
    }
}
