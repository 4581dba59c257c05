using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Telemetry;
using VideoTracker.Core.Jobs;

namespace VideoTracker.Core.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>Webhooks: options, the guarded and resilient HttpClient and the outbox table (the dispatcher is started after the database).</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookUrlGuard>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<IJobEndedHandler>(sp => sp.GetRequiredService<WebhookOutbox>());
        services.AddTransient<AttemptCountingHandler>();
        var client = services.AddHttpClient<WebhookSender>()
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<WebhookUrlGuard>().ConnectAsync,
                AllowAutoRedirect = false,
                UseCookies = false,

                // Straight to the receiver: through an HTTP_PROXY, the guard would judge the proxy's address, not the receiver's.
                UseProxy = false,
            })
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);

        // Handlers added first are outermost: the retries wrap the attempt counter, which sees every attempt.
        client.AddResilienceHandler("webhooks", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = o.MaxAttempts - 1,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = false,
                    Delay = TimeSpan.FromSeconds(o.RetryDelaySeconds),
                    ShouldHandle = args => ValueTask.FromResult(WebhookSender.IsTransient(args.Outcome.Result, args.Outcome.Exception)),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(o.AttemptTimeoutSeconds));

                // Polly would log each failed attempt twice, as a warning and an error with the exception's stack; the
                // dispatcher's one line says how the round ended. Its events stay visible at Debug (category Polly).
                pipeline.ConfigureTelemetry(new TelemetryOptions
                {
                    LoggerFactory = context.ServiceProvider.GetRequiredService<ILoggerFactory>(),
                    SeverityProvider = _ => ResilienceEventSeverity.Debug,
                });
            });
        client.AddHttpMessageHandler<AttemptCountingHandler>();
        return services;
    }
}
