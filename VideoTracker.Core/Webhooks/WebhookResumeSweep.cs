using VideoTracker.Core.Jobs;

namespace VideoTracker.Core.Webhooks;

/// <summary>
/// Queues the deliveries to send for <see cref="WebhookDispatcher"/>: at start-up every pending one and every claim older
/// than <see cref="WebhookOptions.ClaimTimeout"/>; then every <see cref="Period"/>, the claims that went stale since and
/// the pending ones that no node has claimed for that long. So a delivery whose node died mid-round (or before its
/// first attempt) is sent by a node that is still running, not at the next start of one.
/// </summary>
public sealed class WebhookResumeSweep(WebhookOutbox outbox, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookResumeSweep> logger)
    : PeriodicSweep("webhook resume", Period, time, logger)
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private bool _started;

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    /// <summary>One pass: the first queues every pending delivery; later ones only those pending for a claim's timeout.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        // A pending delivery younger than that is in the queue of the node that wrote it, and about to be claimed.
        await outbox.ResumePendingAsync(_started ? options.Value.ClaimTimeout : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        _started = true;
    }
}
