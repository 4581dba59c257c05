using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace VideoTracker.Core.Webhooks;

/// <summary>The result of one delivery, after the resilience pipeline's retries.</summary>
public sealed record WebhookSendResult(bool Delivered, int Attempts, int? StatusCode, string? Error);

/// <summary>
/// POSTs a delivery's fixed body, signed, through the <c>webhooks</c> HttpClient, whose resilience
/// handler retries 5xx answers, timeouts and refused connections with exponential backoff.
/// </summary>
public sealed class WebhookSender(HttpClient http, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string SignatureHeader = "X-VideoTracker-Signature";
    public const string DeliveryHeader = "X-VideoTracker-Delivery";

    /// <summary><c>VideoTracker/1.0.0</c>: the server's name and version, on every delivery.</summary>
    public static readonly ProductInfoHeaderValue UserAgent = new("VideoTracker", typeof(WebhookSender).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of <paramref name="body"/> with <paramref name="secret"/>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public async Task<WebhookSendResult> SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var body = Stamp(delivery.Body ?? "{}", delivery.DeliveryId, time.GetUtcNow().UtcDateTime);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.TryAddWithoutValidation(DeliveryHeader, delivery.DeliveryId.ToString());
        if (!string.IsNullOrEmpty(options.Value.Secret))
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(options.Value.Secret, body));
        }

        var attempts = new AttemptCounter();
        request.Options.Set(AttemptCounter.Key, attempts);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new WebhookSendResult(true, attempts.Count, code, null)
                : new WebhookSendResult(false, attempts.Count, code, $"The receiver answered {code} {response.ReasonPhrase}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new WebhookSendResult(false, Math.Max(1, attempts.Count), null, ex.Message);
        }
    }

    /// <summary>
    /// The stored payload with <c>delivery_id</c> and <c>sent_at</c> added, so that the signature covers them: a captured
    /// delivery cannot be sent again under another id, and a receiver can refuse an old one. The id is the same on every
    /// retry; <c>sent_at</c> is when this round of attempts began (its retries resend the same bytes).
    /// </summary>
    internal static byte[] Stamp(string payload, Guid deliveryId, DateTime sentAt)
    {
        using var stored = JsonDocument.Parse(payload);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var member in stored.RootElement.EnumerateObject().Where(m => m.Name is not ("delivery_id" or "sent_at")))
            {
                member.WriteTo(json);
            }

            json.WriteString("delivery_id", deliveryId);
            json.WriteString("sent_at", DateTime.SpecifyKind(sentAt, DateTimeKind.Utc));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Whether a failed attempt is worth another: 5xx, timeouts and connection failures; never 4xx.</summary>
    public static bool IsTransient(HttpResponseMessage? response, Exception? exception) => exception switch
    {
        WebhookRefusedException => false,
        HttpRequestException or Polly.Timeout.TimeoutRejectedException => true,
        null => response is not null && (int)response.StatusCode >= 500,
        _ => false,
    };
}

/// <summary>Counts the attempts that reach the network for one request (sits inside the retry handler).</summary>
public sealed class AttemptCounter
{
    public static readonly HttpRequestOptionsKey<AttemptCounter> Key = new("videotracker.attempts");

    private int _count;

    public int Count => _count;

    public void Increment() => Interlocked.Increment(ref _count);
}

internal sealed class AttemptCountingHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(AttemptCounter.Key, out var counter))
        {
            counter.Increment();
        }

        return base.SendAsync(request, cancellationToken);
    }
}
