using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VideoTracker.Tests.Support;

/// <summary>One POST as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string Body, string? DeliveryId, string? Signature);

/// <summary>
/// A real Kestrel receiver on 127.0.0.1 (random port) at <c>/hook</c>. It answers each POST with the next
/// status of <see cref="Answers"/> (200 once they run out) and records what arrived.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private LoopbackServer? _server;

    private WebhookReceiver()
    {
    }

    public Uri Url => new(_server!.BaseAddress, "hook");

    public ConcurrentQueue<int> Answers { get; } = new();

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var receiver = new WebhookReceiver();
        receiver._server = await LoopbackServer.StartAsync(
            app => app.MapPost("/hook", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                var body = await reader.ReadToEndAsync();
                receiver.Received.Enqueue(new ReceivedWebhook(body, request.Headers["X-VideoTracker-Delivery"], request.Headers["X-VideoTracker-Signature"]));
                return Microsoft.AspNetCore.Http.Results.StatusCode(receiver.Answers.TryDequeue(out var status) ? status : 200);
            }),
            port);
        return receiver;
    }

    /// <summary>Waits until <paramref name="count"/> POSTs have arrived, or fails.</summary>
    public async Task<ReceivedWebhook[]> WaitForAsync(int count, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (Received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(Received.Count >= count, $"The receiver got {Received.Count} of {count} webhook(s) in {timeoutSeconds}s.");
        return [.. Received];
    }

    public ValueTask DisposeAsync() => _server!.DisposeAsync();
}
