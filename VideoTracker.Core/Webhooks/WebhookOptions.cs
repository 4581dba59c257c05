using System.ComponentModel.DataAnnotations;

namespace VideoTracker.Core.Webhooks;

/// <summary>Where and how finished jobs are announced.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>Notified of every job that ends, besides any job's own <c>webhook_url</c>.</summary>
    public string? Url { get; init; }

    /// <summary>When set, each delivery carries <c>X-VideoTracker-Signature: sha256=&lt;HMAC-SHA256 of the body&gt;</c>.</summary>
    public string? Secret { get; init; }

    /// <summary>Allow loopback, link-local, private and unique-local addresses (for receivers on your own network).</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>Attempts per delivery, the first included.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first retry's delay; each next one doubles it (4, 8, 16, 32 s by default: about a minute).</summary>
    [Range(0.01, 3600)]
    public double RetryDelaySeconds { get; init; } = 4;

    /// <summary>How long one attempt may take.</summary>
    [Range(0.1, 300)]
    public double AttemptTimeoutSeconds { get; init; } = 10;

    /// <summary>
    /// How long a claim holds: twice the longest round of attempts (every attempt timing out, every retry
    /// delay), plus a minute. Only a node that died mid-round leaves a claim that old.
    /// </summary>
    public TimeSpan ClaimTimeout => TimeSpan.FromSeconds(
        (2 * ((MaxAttempts * AttemptTimeoutSeconds) + (RetryDelaySeconds * (Math.Pow(2, MaxAttempts - 1) - 1)))) + 60);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Url) && WebhookUrlGuard.CheckSyntax(Url) is { } error)
        {
            yield return new ValidationResult($"Webhooks:Url: {error}", [nameof(Url)]);
        }
    }
}
