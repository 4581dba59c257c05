namespace VideoTracker.Core.Webhooks;

/// <summary>
/// A delivery as the API and the job page show it. The address never shows its user info or query string, which
/// may hold a token. The server-wide address (<see cref="WebhookOptions.Url"/>, an admin's setting, whose path can
/// itself be the secret, as in a Slack-style hook) shows only its origin to anyone but an admin.
/// </summary>
public sealed record WebhookDeliveryView(
    Guid DeliveryId,
    string Url,
    bool ServerWide,
    WebhookDeliveryStatus Status,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTime? DeliveredAt)
{
    public static WebhookDeliveryView Of(WebhookDelivery delivery, bool serverWide, bool admin)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(
            delivery.DeliveryId, Shown(delivery.Url, originOnly: serverWide && !admin), serverWide, delivery.Status,
            delivery.Attempts, delivery.LastStatusCode, delivery.LastError, delivery.DeliveredAt);
    }

    private static string Shown(string url, bool originOnly) => Uri.TryCreate(url, UriKind.Absolute, out var uri)
        ? uri.GetComponents(originOnly ? UriComponents.SchemeAndServer : UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
        : "(not a URL)";
}
