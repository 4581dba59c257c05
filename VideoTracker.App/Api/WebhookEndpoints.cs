using VideoTracker.App.Accounts;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.App.Api;

/// <summary>A job's webhook deliveries and how each went.</summary>
public static class WebhookEndpoints
{
    /// <summary>Maps on the <c>/v1/jobs/{jobId}</c> group of <see cref="JobsEndpoints"/>, on a group of its own tagged <c>Jobs</c>.</summary>
    internal static void MapWebhooksApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/webhooks", Deliveries).WithName("GetJobWebhooks").WithSummary("The job's webhook deliveries: waiting, pending, delivered or failed, with attempts");
    }

    internal static async Task<Results<Ok<WebhookDeliveriesDto>, ProblemHttpResult>> Deliveries(
        JobRouteId jobId, JobStore store, WebhookOutbox outbox, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if ((await JobLookups.FindAsync(jobId, store, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var job))
        {
            return problem;
        }

        var rows = await outbox.ForJobAsync(job.JobId, user.IsAdmin(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new WebhookDeliveriesDto([.. rows.Select(WebhookDeliveryDto.From)]));
    }
}

public sealed record WebhookDeliveriesDto(IReadOnlyList<WebhookDeliveryDto> Deliveries);

/// <summary>One delivery; <see cref="Url"/> as <see cref="WebhookDeliveryView"/> shows it (never the query string).</summary>
public sealed record WebhookDeliveryDto(Guid DeliveryId, string Url, bool ServerWide, string Status, int Attempts, int? LastStatusCode, string? LastError, DateTime? DeliveredAt)
{
    public static WebhookDeliveryDto From(WebhookDeliveryView d) =>
        new(d.DeliveryId, d.Url, d.ServerWide, d.Status.ToString().ToLowerInvariant(), d.Attempts, d.LastStatusCode, d.LastError, d.DeliveredAt);
}
