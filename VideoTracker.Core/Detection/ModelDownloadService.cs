using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VideoTracker.Core.Detectors;

/// <summary>
/// Downloads the model once in the background when <see cref="DetectionModel"/> needs it. It never blocks
/// start-up, and a failure (offline, bad checksum) only leaves the yolo tools unavailable with the reason.
/// </summary>
public sealed class ModelDownloadService(
    DetectionModel model,
    IHttpClientFactory httpClients,
    IOptions<DetectionOptions> options,
    ILogger<ModelDownloadService> logger) : BackgroundService
{
    public const string HttpClientName = "model-download";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (model.State != ModelState.Downloading || model.DownloadUrl is null)
        {
            return;
        }

        await Task.Yield();
        try
        {
            using var http = httpClients.CreateClient(HttpClientName);
            http.Timeout = TimeSpan.FromSeconds(options.Value.DownloadTimeoutSeconds);
            var downloader = new ModelDownloader(http, logger);
            await downloader.DownloadAsync(
                model.DownloadUrl, model.DefaultPath, options.Value.ModelSha256,
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
