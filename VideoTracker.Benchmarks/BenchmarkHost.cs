using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoTracker.Core;

namespace VideoTracker.Benchmarks;

/// <summary>The Core host every benchmark runs jobs in: one worker, a data folder of its own, no log output.</summary>
public static class BenchmarkHost
{
    /// <summary>
    /// A builder with Core added; <paramref name="settings"/> add to, or override, the common settings.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string dataDirectory, string model, bool preparePreview, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var all = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Storage:MinFreeBytes"] = "0",
            ["Jobs:Workers"] = "1",
            ["Jobs:PreparePreview"] = preparePreview ? "true" : "false",
            ["Detection:ModelPath"] = model,
            ["Detection:ModelUrl"] = string.Empty,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(all);
        builder.AddVideoTrackerCore();
        return builder;
    }
}
