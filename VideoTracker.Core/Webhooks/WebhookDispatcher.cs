using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VideoTracker.Core.Webhooks;

/// <summary>
/// Sends ready deliveries, a few at a time, and records each outcome. <see cref="WebhookResumeSweep"/> queues what the
/// table says is to send, at start and then every minute, so a crash, a restart or a node that died loses no
/// notification. Each delivery is claimed before it is sent, so that on several nodes only one sends it. A delivery
/// interrupted by shutdown is pending again.
/// </summary>
public sealed partial class WebhookDispatcher(
    WebhookOutbox outbox, IServiceScopeFactory scopes, IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private const int Parallel = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(Parallel);
        var running = new List<Task>();
        try
        {
            await foreach (var id in outbox.Ready.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(
                    async () =>
                    {
                        try
                        {
                            await DeliverAsync(id, stoppingToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    },
                    CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task DeliverAsync(Guid id, CancellationToken stoppingToken)
    {
        var claimed = false;
        try
        {
            var delivery = await outbox.ClaimAsync(id, stoppingToken).ConfigureAwait(false);
            if (delivery is null)
            {
                return;
            }

            claimed = true;

            await using var scope = scopes.CreateAsyncScope();
            var sender = scope.ServiceProvider.GetRequiredService<WebhookSender>();
            var result = await sender.SendAsync(delivery, stoppingToken).ConfigureAwait(false);
            var status = result.Delivered ? WebhookDeliveryStatus.Delivered : WebhookDeliveryStatus.Failed;
            await outbox.RecordAsync(id, status, result.Attempts, result.StatusCode, result.Error, CancellationToken.None).ConfigureAwait(false);
            if (result.Delivered)
            {
                Delivered(logger, id, delivery.JobId, result.Attempts);
            }
            else
            {
                GaveUp(logger, id, delivery.JobId, result.Attempts, options.Value.MaxAttempts, result.Error ?? "unknown");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Pending again in the table: another node's sweep, or the next start, sends it.
            if (claimed)
            {
                await ReleaseAsync(id).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Crashed(logger, id, ex);
        }
    }

    private async Task ReleaseAsync(Guid id)
    {
        try
        {
            await outbox.ReleaseAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Still claimed: a node's sweep takes it over once the claim times out.
            Crashed(logger, id, ex);
        }
    }

    [LoggerMessage(5001, LogLevel.Information, "Webhook delivery {DeliveryId} for job {JobId} delivered after {Attempts} attempt(s)")]
    private static partial void Delivered(ILogger logger, Guid deliveryId, Guid jobId, int attempts);

    [LoggerMessage(5002, LogLevel.Warning, "Webhook delivery {DeliveryId} for job {JobId} failed after {Attempts} of {MaxAttempts} attempt(s): {Error}")]
    private static partial void GaveUp(ILogger logger, Guid deliveryId, Guid jobId, int attempts, int maxAttempts, string error);

    [LoggerMessage(5003, LogLevel.Error, "Webhook delivery {DeliveryId} crashed")]
    private static partial void Crashed(ILogger logger, Guid deliveryId, Exception exception);
}
