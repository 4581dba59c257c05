using Microsoft.Extensions.DependencyInjection;

namespace VideoTracker.Core.OpenCvClassic;

public static class OpenCvClassicServiceCollectionExtensions
{
    /// <summary>The opencv-classic plugin and its tools: one line a tool, in the order the plugin lists them.</summary>
    public static IServiceCollection AddOpenCvClassic(this IServiceCollection services)
    {
        services.AddSingleton<IVideoPlugin, OpenCvClassicPlugin>();
        services.AddSingleton<IOpenCvClassicTool, MotionDetectionTool>();
        services.AddSingleton<IOpenCvClassicTool, PeopleDetectionTool>();
        return services;
    }
}
