using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VideoTracker.Tests.Support;

/// <summary>One POST as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string Body, string? DeliveryId, string? Signature, string? UserAgent);

/// <summary>
/// A real Kestrel receiver on 127.0.0.1 (random port) at <c>/hook</c>. It answers each POST with the next
/// status of <see cref="Answers"/> (200 once they run out) and records what arrived.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private WebhookReceiver(LoopbackServer server, ConcurrentQueue<int> answers, ConcurrentQueue<ReceivedWebhook> received)
    {
        _server = server;
        Answers = answers;
        Received = received;
    }

    public Uri Url => new(_server.BaseAddress, "hook");

    public ConcurrentQueue<int> Answers { get; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; }

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var answers = new ConcurrentQueue<int>();
        var received = new ConcurrentQueue<ReceivedWebhook>();
        var server = await LoopbackServer.StartAsync(
            app => app.MapPost("/hook", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                var body = await reader.ReadToEndAsync();
                received.Enqueue(new ReceivedWebhook(body, request.Headers["X-VideoTracker-Delivery"], request.Headers["X-VideoTracker-Signature"], request.Headers.UserAgent));
                return Microsoft.AspNetCore.Http.Results.StatusCode(answers.TryDequeue(out var status) ? status : 200);
            }),
            port);
        return new WebhookReceiver(server, answers, received);
    }

    /// <summary>Waits until <paramref name="count"/> POSTs have arrived, or fails.</summary>
    public async Task<ReceivedWebhook[]> WaitForAsync(int count, int timeoutSeconds = 60)
    {
        await Poll.UntilAsync(
            () => Task.FromResult(Received.Count),
            arrived => arrived >= count,
            TimeSpan.FromSeconds(timeoutSeconds),
            TimeSpan.FromMilliseconds(50),
            arrived => $"The receiver got {arrived} of {count} webhook(s) in {timeoutSeconds}s.");
        return [.. Received];
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
