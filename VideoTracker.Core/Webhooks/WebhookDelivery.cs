namespace VideoTracker.Core.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Asked for at submit; the job has not ended yet.</summary>
    Waiting,

    /// <summary>The job ended; the body is fixed and it waits for a node to send it.</summary>
    Pending,

    /// <summary>
    /// Claimed by one node, which is sending it now (with its retries). Another node takes it over only when
    /// the claim is older than a whole round could last (<see cref="WebhookOptions.ClaimTimeout"/>).
    /// </summary>
    Sending,
    Delivered,
    Failed,
}

/// <summary>
/// One notification to one URL about one job, kept in the database until it is delivered or given up, so
/// a restart resumes it. <see cref="DeliveryId"/> is sent as <c>X-VideoTracker-Delivery</c> on every attempt.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid DeliveryId { get; set; }

    public Guid JobId { get; set; }

    public required string Url { get; set; }

    public WebhookDeliveryStatus Status { get; set; }

    /// <summary>The exact JSON body, fixed when the job ends, so retries sign and send the same bytes.</summary>
    public string? Body { get; set; }

    public int Attempts { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? DeliveredAt { get; set; }
}
