using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Data;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>
    /// <c>Database:Provider</c> (validated at start), both providers' pooled context factories (only the configured
    /// one is ever built), and <c>IDbContextFactory&lt;VideoTrackerDbContext&gt;</c> plus a scoped
    /// <see cref="VideoTrackerDbContext"/> for the configured provider.
    /// </summary>
    public static IServiceCollection AddVideoTrackerDatabase(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Configure<IConfiguration>((options, configuration) => options.PostgresConnectionString = configuration.GetConnectionString("Postgres"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();

        services.AddPooledDbContextFactory<SqliteVideoTrackerDbContext>((sp, options) =>
            options.UseVideoTrackerSqlite($"Data Source={sp.GetRequiredService<DataPaths>().DatabaseFile};Pooling=True")
                .AddInterceptors(new SqlitePragmas()));
        services.AddPooledDbContextFactory<PostgresVideoTrackerDbContext>((sp, options) =>
            options.UseVideoTrackerPostgres(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.PostgresConnectionString));

        services.AddSingleton<IDbContextFactory<VideoTrackerDbContext>>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Kind switch
        {
            DatabaseProvider.Postgres => new ProviderDbContextFactory<PostgresVideoTrackerDbContext>(
                sp.GetRequiredService<IDbContextFactory<PostgresVideoTrackerDbContext>>()),
            _ => new ProviderDbContextFactory<SqliteVideoTrackerDbContext>(
                sp.GetRequiredService<IDbContextFactory<SqliteVideoTrackerDbContext>>()),
        });

        // For libraries that want the context from the scope (ASP.NET Identity's stores); disposed with the scope.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContext());

        services.AddSingleton<DataFolderLock>();

        // Runs before every other hosted service: the server's first clock reading (PostgreSQL; see DatabaseClock),
        // migrations, then the start-up tasks.
        services.AddSingleton<DatabaseClock>();
        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService<DatabaseClockSync>();
        return services;
    }
}
