using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VideoTracker.Core.Data;
using VideoTracker.Core.Detection;
using VideoTracker.Core.Nodes;
using VideoTracker.Core.Storage;

namespace VideoTracker.App.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the database and the data folder work, and a
/// <c>worker</c>'s data folder is the shared one (it holds the marker that web nodes write). A node that runs jobs
/// with a model file set in <c>Detection:ModelPath</c> also needs that file; otherwise whether a detection model and
/// ffmpeg are present is reported, not required.
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";

    private const string HealthCheckServiceCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    public static IHostApplicationBuilder AddVideoTrackerHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<DataFolderCheck>("data_folder", tags: [Ready])
            .AddCheck<ModelCheck>("model", tags: [Ready])
            .AddCheck<FfmpegCheck>("ffmpeg", tags: [Ready]);
        builder.Services.AddHostedService<FfmpegStartupWarning>();

        // The health check service logs every probe that is not healthy: a warning for each degraded one (ffmpeg
        // missing, already said once at start-up) every few seconds. Only those warnings are dropped (the service logs
        // nothing else at Warning); failed checks are still logged, as errors.
        builder.Logging.AddFilter(HealthCheckServiceCategory, level => level != LogLevel.Warning);
        return builder;
    }

    public static IEndpointRouteBuilder MapVideoTrackerHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new
                {
                    status = e.Value.Status.ToString().ToLowerInvariant(),
                    description = e.Value.Description,
                    data = e.Value.Data,
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    /// <summary>
    /// Unhealthy when the database cannot be read, or does not answer within <c>Database:HealthTimeoutSeconds</c> (a
    /// frozen server accepts connections and never replies: without the limit a probe would hang with it).
    /// </summary>
    private sealed class DatabaseCheck(IDbContextFactory<VideoTrackerDbContext> contexts, IOptions<DatabaseOptions> database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var engine = database.Value.Kind == DatabaseProvider.Postgres ? "PostgreSQL" : "SQLite";
            var limit = TimeSpan.FromSeconds(database.Value.HealthTimeoutSeconds);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            try
            {
                // The wait ends at the limit even where the driver is slow to give up on a silent server.
                await ReadAsync(timeout.Token).WaitAsync(limit, cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy($"{engine} answers.");
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested
                && (ex is TimeoutException or OperationCanceledException || timeout.IsCancellationRequested))
            {
                await timeout.CancelAsync().ConfigureAwait(false);   // the read gives up too
                return HealthCheckResult.Unhealthy($"{engine} did not answer within {database.Value.HealthTimeoutSeconds} s (Database:HealthTimeoutSeconds).");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("The database cannot be read.");
            }
        }

        private async Task ReadAsync(CancellationToken cancellationToken)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            // Open to anonymous probes: it says the database answers, and nothing about users or jobs.
            await db.Jobs.AnyAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class DataFolderCheck(DataPaths paths, IOptions<NodeOptions> node) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (node.Value.IsOffSharedFolder(paths))
            {
                return Task.FromResult(HealthCheckResult.Unhealthy(
                    $"The data folder has no {Path.GetFileName(paths.MarkerFile)} (web nodes write it): this worker is not on the shared folder, so it takes no jobs. Mount the web node's data folder at Storage:DataDirectory."));
            }

            try
            {
                var probe = Path.Combine(paths.StagingDirectory, $".ready-{Guid.NewGuid():N}");
                try
                {
                    File.WriteAllBytes(probe, [1]);
                }
                finally
                {
                    // Also when the write failed: a full disk still lets the empty file be created.
                    File.Delete(probe);
                }

                var free = new DriveInfo(paths.Root).AvailableFreeSpace;
                return Task.FromResult(HealthCheckResult.Healthy("The data folder is writable.", new Dictionary<string, object> { ["free_bytes"] = free }));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy(DiskFull.Is(ex) ? "The data folder's disk is full." : "The data folder is not writable."));
            }
        }
    }

    /// <summary>
    /// Reported, not required: without a model only the model tools are unavailable (a worker claims no job for them).
    /// Required on a node that runs jobs with a model file set in <c>Detection:ModelPath</c>: that file is missing.
    /// </summary>
    private sealed class ModelCheck(DetectionModel model, IOptions<DetectionOptions> detection, IOptions<NodeOptions> node) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var availability = model.Availability;
            var data = new Dictionary<string, object> { ["present"] = availability.Available, ["state"] = model.State.ToString().ToLowerInvariant() };
            var required = node.Value.RunsJobs && !string.IsNullOrWhiteSpace(detection.Value.ModelPath);
            return Task.FromResult(availability.Available ? HealthCheckResult.Healthy("A detection model is loaded.", data)
                : required ? HealthCheckResult.Unhealthy(availability.Reason, data: data)
                : HealthCheckResult.Healthy(availability.Reason, data));
        }
    }

    /// <summary>
    /// Degraded, not failed, without ffmpeg: there are no annotated videos or browser previews, and the rest works
    /// (<c>/health/ready</c> still answers 200). The start-up log warns about it once (<see cref="FfmpegStartupWarning"/>).
    /// </summary>
    private sealed class FfmpegCheck(FfmpegLocator ffmpeg) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var data = new Dictionary<string, object> { ["present"] = ffmpeg.IsAvailable };
            return Task.FromResult(ffmpeg.IsAvailable
                ? HealthCheckResult.Healthy("ffmpeg is installed.", data)
                : HealthCheckResult.Degraded(ffmpeg.UnavailableEffect, data: data));
        }
    }
}
