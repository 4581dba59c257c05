using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace VideoTracker.Tests.Webhooks;

/// <summary>What an operator's log shows of a webhook whose receiver is down: the app's own line, not Polly's stack traces.</summary>
public sealed class WebhookLoggingTests : IDisposable
{
    private readonly VideoTrackerAppFactory _factory = new();
    private readonly ListLoggerProvider _log = new();

    [Fact]
    public async Task Deliver_ReceiverRefusesEveryAttempt_LogsOneWarningAndNoPollyTelemetry()
    {
        await DeliverToAClosedPortAsync();

        Assert.DoesNotContain(_log.Lines, l => l.StartsWith("Warning Polly", StringComparison.Ordinal) || l.StartsWith("Error Polly", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Contains(": exception ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deliver_PollyAtDebug_ShowsEachAttempt()
    {
        _factory.Settings["Logging:LogLevel:Polly"] = "Debug";

        await DeliverToAClosedPortAsync();

        Assert.Contains(_log.Lines, l => l.StartsWith("Debug Polly: Execution attempt", StringComparison.Ordinal));
    }

    /// <summary>Submits a job whose webhook's every attempt (2) is refused, and waits for the app's own line about it.</summary>
    private async Task DeliverToAClosedPortAsync()
    {
        _factory.Settings["Webhooks:AllowPrivateNetworks"] = "true";
        _factory.Settings["Webhooks:MaxAttempts"] = "2";
        _factory.Settings["Webhooks:RetryDelaySeconds"] = "0.05";
        _factory.ConfigureServices = services => services.AddSingleton<ILoggerProvider>(_log);
        using var client = _factory.CreateClient();
        var clip = TestClips.MovingSquare(_factory.Clips.Path, frames: 4, name: "hooked.avi");

        var job = await client.SubmitAsync(clip, fields: new Dictionary<string, string> { ["webhook_url"] = $"http://127.0.0.1:{ClosedPort()}/hook" });
        await _log.WaitForAsync($"Warning VideoTracker.Core.Webhooks.WebhookDispatcher: Webhook delivery");
        Assert.Equal(1, _log.Count($"for job {job} failed after 2 of 2 attempt(s)"));
    }

    /// <summary>A loopback port that nothing listens on: every connection is refused.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _factory.Dispose();
}
