using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using VideoTracker.Core.Accounts;
using VideoTracker.Core.Detection;
using VideoTracker.Core.Export;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Nodes;
using VideoTracker.Core.OpenCvClassic;
using VideoTracker.Core.Storage;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Core: options, the database (SQLite or PostgreSQL), the job queue and its workers, plugins and devices.</summary>
    public static IHostApplicationBuilder AddVideoTrackerCore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NodeOptions>().BindConfiguration(NodeOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // PostgreSQL: every node keeps time by the database server's clock (DatabaseClock), whatever its own says.
        services.TryAddSingleton<TimeProvider>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Kind == DatabaseProvider.Postgres
            ? sp.GetRequiredService<DatabaseClock>()
            : TimeProvider.System);
        services.AddSingleton<DataPaths>();

        services.AddSingleton<JobStore>();
        services.AddSingleton<JobStatusReader>();
        services.AddJobControl();
        services.AddSingleton<JobSubmitter>();
        services.AddSingleton<JobRerunner>();
        services.AddSingleton<JobViews>();
        services.AddSingleton<JobWaitingReasons>();
        services.AddSingleton<NodeStore>();
        services.AddSingleton<NodeCapabilities>();
        services.AddScoped<JobRunner>();
        services.AddSingleton<AuditLog>();              // written by the API, trimmed by RetentionService

        services.TryAddSingleton<DeviceCatalog>();
        services.AddSingleton<PluginRegistry>();
        services.AddOpenCvClassic();
        services.AddDetection();
        services.AddResultExporters();
        services.AddWebhooks();

        // Order matters: the database is migrated (and start-up tasks run) before recovery reads it and workers claim from it.
        services.AddVideoTrackerDatabase();
        services.AddSingleton<JobRecoveryService>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRecoveryService>());
        services.AddHostedService<NodeBeat>();
        services.AddHostedService<JobWorkerPool>();
        services.AddHostedService<WebhookDispatcher>();
        services.AddSingleton<WebhookResumeSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookResumeSweep>());
        services.AddHostedService<PostgresJobListener>();
        services.AddScoped<IStartupTask, OrphanedDeliveriesCleanup>();
        services.AddSingleton<RetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        services.AddSingleton<StagingSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<StagingSweep>());
        return builder;
    }

    /// <summary>
    /// What cancels or ends a job from outside its run: the queue and the signals between nodes, this process's running
    /// jobs, the rules for interrupted ones and <see cref="JobControl"/>. One list for the app and for tests without a host.
    /// </summary>
    public static IServiceCollection AddJobControl(this IServiceCollection services)
    {
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobWakeup>();
        services.AddSingleton<ChannelJobSignals>();
        services.AddSingleton<PostgresJobSignals>();
        services.AddSingleton<IJobSignals>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Kind == DatabaseProvider.Postgres
            ? sp.GetRequiredService<PostgresJobSignals>()
            : sp.GetRequiredService<ChannelJobSignals>());
        services.AddSingleton<RunningJobs>();
        services.AddSingleton<UnsavedFailures>();
        services.AddSingleton<ProcessInstance>();
        services.AddSingleton<JobFiles>();
        services.AddSingleton<InterruptedJobs>();
        services.AddSingleton<JobControl>();
        services.AddSingleton<JobEndedNotifier>();
        return services;
    }
}
