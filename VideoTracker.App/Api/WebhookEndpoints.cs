using Microsoft.AspNetCore.Http.HttpResults;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.App.Api;

/// <summary>A job's webhook deliveries and how each went.</summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1/jobs").WithTags("Jobs");
        v1.MapGet("/{jobId}/webhooks", Deliveries).WithName("GetJobWebhooks").WithSummary("The job's webhook deliveries: waiting, pending, delivered or failed, with attempts");
        return app;
    }

    internal static async Task<Results<Ok<WebhookDeliveriesDto>, ProblemHttpResult>> Deliveries(
        string jobId, JobStore store, WebhookOutbox outbox, CancellationToken cancellationToken)
    {
        var (job, error) = await JobFilesEndpoints.FindJobAsync(jobId, store, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return error!;
        }

        var rows = await outbox.ForJobAsync(job.JobId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new WebhookDeliveriesDto([.. rows.Select(WebhookDeliveryDto.From)]));
    }
}

public sealed record WebhookDeliveriesDto(IReadOnlyList<WebhookDeliveryDto> Deliveries);

public sealed record WebhookDeliveryDto(Guid DeliveryId, string Url, string Status, int Attempts, int? LastStatusCode, string? LastError, DateTime? DeliveredAt)
{
    public static WebhookDeliveryDto From(WebhookDelivery d) =>
        new(d.DeliveryId, d.Url, d.Status.ToString().ToLowerInvariant(), d.Attempts, d.LastStatusCode, d.LastError, d.DeliveredAt);
}
