namespace VideoTracker.Core.Data;

/// <summary>The model on PostgreSQL; its migrations live in <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresVideoTrackerDbContext(DbContextOptions<PostgresVideoTrackerDbContext> options) : VideoTrackerDbContext(options);
