using Microsoft.EntityFrameworkCore.Design;

namespace VideoTracker.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add … --context SqliteVideoTrackerDbContext</c> build the context without the app.</summary>
internal sealed class SqliteDesignTimeDbContextFactory : IDesignTimeDbContextFactory<SqliteVideoTrackerDbContext>
{
    public SqliteVideoTrackerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteVideoTrackerDbContext>().UseVideoTrackerSqlite("Data Source=design-time.db").Options);
}

/// <summary>
/// Lets <c>dotnet ef migrations add … --context PostgresVideoTrackerDbContext</c> build the context without the app.
/// Adding a migration never connects; <c>dotnet ef database update</c> uses <c>ConnectionStrings__Postgres</c> when set.
/// </summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresVideoTrackerDbContext>
{
    public PostgresVideoTrackerDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } configured
            ? configured
            : "Host=localhost;Database=videotracker;Username=videotracker";
        return new(new DbContextOptionsBuilder<PostgresVideoTrackerDbContext>().UseVideoTrackerPostgres(connectionString).Options);
    }
}
