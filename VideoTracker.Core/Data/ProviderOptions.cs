using Microsoft.EntityFrameworkCore.Migrations;

namespace VideoTracker.Core.Data;

/// <summary>
/// How each provider's context is set up, in one place for the app, the design-time factories and the tests:
/// the provider, plus the snake_case naming convention the model relies on, with the names it must not change
/// (<see cref="NamesBeforeTheConvention"/>).
/// Not in <c>OnConfiguring</c>, because the app's pooled contexts may not change their options there.
/// </summary>
internal static class ProviderOptions
{
    public static TBuilder UseVideoTrackerSqlite<TBuilder>(this TBuilder options, string connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        options.UseSqlite(connectionString).UseSnakeCaseNamingConvention()
            .ReplaceService<IHistoryRepository, SqliteHistoryKeepingNames>();
        return options;
    }

    public static TBuilder UseVideoTrackerPostgres<TBuilder>(this TBuilder options, string? connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        options.UseNpgsql(connectionString).UseSnakeCaseNamingConvention()
            .ReplaceService<IHistoryRepository, PostgresHistoryKeepingNames>();
        return options;
    }
}
