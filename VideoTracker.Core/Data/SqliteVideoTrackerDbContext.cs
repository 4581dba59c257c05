using Microsoft.EntityFrameworkCore.Storage;

namespace VideoTracker.Core.Data;

/// <summary>The model on SQLite; its migrations live in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteVideoTrackerDbContext(DbContextOptions<SqliteVideoTrackerDbContext> options) : VideoTrackerDbContext(options)
{
    /// <summary>SQLite's <c>BEGIN IMMEDIATE</c> (what a transaction begins with here) takes the database's one write lock.</summary>
    public override Task<IDbContextTransaction> BeginExclusiveAsync(ExclusiveSection section, CancellationToken cancellationToken) =>
        Database.BeginTransactionAsync(cancellationToken);
}
