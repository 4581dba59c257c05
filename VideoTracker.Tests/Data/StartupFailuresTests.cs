using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoTracker.App;
using VideoTracker.Core;

namespace VideoTracker.Tests.Data;

/// <summary>
/// <see cref="StartupFailures.RunOrExplainAsync"/> in-process, for what a child process shows only by chance: a start
/// that fails while a background service's <c>ExecuteAsync</c> still waits for a thread-pool thread.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class StartupFailuresTests
{
    private const string Refusal = "The data folder /nowhere (Storage:DataDirectory) cannot be written (Read-only file system).";

    [Fact]
    public async Task RunOrExplain_StartRefusedBeforeABackgroundServiceRan_ExitsOneWithoutReportingACrash()
    {
        var logs = new ListLoggerProvider();
        var builder = NewBuilder(logs);
        builder.Services.AddHostedService<IdleService>();       // starts first, as the model warm-up does in the app
        builder.Services.AddHostedService<RefusingService>();   // then the start is refused, as by a read-only data folder
        var app = builder.Build();
        var idle = app.Services.GetServices<IHostedService>().OfType<IdleService>().Single();

        int code;
        using (new ThreadPoolStall())
        {
            code = await app.RunOrExplainAsync();
        }

        Assert.Equal(1, code);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => idle.ExecuteTask!);   // it never ran: the case under test
        await SettleAsync();
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));
    }

    /// <summary>A refused start is stopped (see above), and that stop does not say the app is shutting down: it never ran.</summary>
    [Fact]
    public async Task RunOrExplain_StartRefused_DoesNotSayTheAppIsShuttingDown()
    {
        var logs = new ListLoggerProvider();
        var builder = NewBuilder(logs);
        builder.Services.AddHostedService<RefusingService>();
        var app = builder.Build();
        var stopping = app.Lifetime.ApplicationStopping;

        Assert.Equal(1, await app.RunOrExplainAsync());

        Assert.True(stopping.IsCancellationRequested);   // stopped: what would have said it
        Assert.DoesNotContain(logs.Lines, l => l.Contains("shutting down", StringComparison.Ordinal));
    }

    /// <summary>An app on a free port that explains its start-up failures, logging to <paramref name="logs"/> at Information and above.</summary>
    private static WebApplicationBuilder NewBuilder(ListLoggerProvider logs)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Logging:LogLevel:Default"] = "Information";
        builder.ExplainStartupFailures();
        builder.Logging.ClearProviders().AddProvider(logs);
        return builder;
    }

    /// <summary>Lets queued continuations (the host's watch on its background services) run, then some more.</summary>
    private static async Task SettleAsync()
    {
        for (var i = 0; i < 20; i++)
        {
            await Task.Run(() => Thread.Sleep(10));
        }
    }

    private sealed class IdleService : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
    }

    private sealed class RefusingService : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => throw new StartupFailedException(Refusal);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>
    /// Keeps every thread-pool thread busy until disposed, and a few more than there are, so that work queued meanwhile
    /// (a background service's <c>ExecuteAsync</c>) waits while the pool adds threads (about two a second).
    /// </summary>
    private sealed class ThreadPoolStall : IDisposable
    {
        private volatile bool _released;

        public ThreadPoolStall()
        {
            var blockers = ThreadPool.ThreadCount + Environment.ProcessorCount + 4;
            for (var i = 0; i < blockers; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(
                    _ => Hold(), null);   // queued first: the pool takes them before anything queued after
            }
        }

        public void Dispose() => _released = true;

        private void Hold()
        {
            while (!_released)
            {
                Thread.Sleep(5);
            }
        }
    }
}
