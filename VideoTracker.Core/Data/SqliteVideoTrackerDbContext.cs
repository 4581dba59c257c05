namespace VideoTracker.Core.Data;

/// <summary>The model on SQLite; its migrations live in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteVideoTrackerDbContext(DbContextOptions<SqliteVideoTrackerDbContext> options) : VideoTrackerDbContext(options);
