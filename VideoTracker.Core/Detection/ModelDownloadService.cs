using Microsoft.Extensions.Hosting;

namespace VideoTracker.Core.Detection;

/// <summary>
/// Prepares the model in the background: downloads it once when <see cref="DetectionModel"/> needs it, then
/// loads its session on <see cref="DetectionOptions.ExecutionProvider"/> so the first job does not wait.
/// It never blocks start-up, and a failure (offline, bad checksum) only leaves the yolo tools unavailable
/// with the reason.
/// </summary>
public sealed class ModelDownloadService(
    IHostApplicationLifetime lifetime,
    DetectionModel model,
    DetectorSessions sessions,
    DeviceCatalog devices,
    IHttpClientFactory httpClients,
    IOptions<DetectionOptions> options,
    ILogger<ModelDownloadService> logger) : BackgroundService
{
    public const string HttpClientName = "model-download";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Only once the whole host has started. Hosted services start one after another, and this one starts
        // before the database's: a start refused after it (another process holds the data folder, …) returns
        // from Main while this task would be inside ONNX Runtime's native set-up, and the process died with
        // SIGSEGV instead of exiting 1 (seen in CI, twice in stop 17 and once in stop 18).
        if (!await HasStartedAsync(stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        if (model.State == ModelState.Downloading && model.DownloadUrl is not null)
        {
            await DownloadAsync(model.DownloadUrl, stoppingToken).ConfigureAwait(false);
        }

        var provider = options.Value.ExecutionProvider;
        if (model.ModelPath is { } path && devices.IsAvailable(provider) && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                sessions.Get(path, provider);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Jobs load it again and fail with a readable message; the log keeps the details.
                Log.WarmUpFailed(logger, provider, ex);
            }
        }
    }

    /// <summary>True once the host has started; false when it stops first.</summary>
    private async Task<bool> HasStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private async Task DownloadAsync(Uri url, CancellationToken stoppingToken)
    {
        try
        {
            using var http = httpClients.CreateClient(HttpClientName);
            http.Timeout = TimeSpan.FromSeconds(options.Value.DownloadTimeoutSeconds);
            var downloader = new ModelDownloader(http, logger);
            await downloader.DownloadAsync(
                url, model.DefaultPath, options.Value.ModelSha256,
                new Progress<int?>(model.SetDownloadProgress), stoppingToken).ConfigureAwait(false);
            model.SetReady(model.DefaultPath);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            model.SetUnavailable("The model download was stopped by a shutdown.");
        }
        catch (Exception ex) when (ex is ModelDownloadException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            var reason = ex is OperationCanceledException ? "the download timed out" : ex.Message;
            Log.DownloadFailed(logger, reason, ex is ModelDownloadException ? null : ex);
            model.SetUnavailable($"No detection model: the download failed ({reason}). Place {DetectionOptions.DefaultModelFileName} in the data folder's models/ folder or set Detection:ModelPath.");
        }
    }
}
