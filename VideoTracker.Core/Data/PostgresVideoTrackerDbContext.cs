using Microsoft.EntityFrameworkCore.Storage;

namespace VideoTracker.Core.Data;

/// <summary>The model on PostgreSQL; its migrations live in <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresVideoTrackerDbContext(DbContextOptions<PostgresVideoTrackerDbContext> options) : VideoTrackerDbContext(options)
{
    /// <summary>A transaction that holds the section's advisory lock until it ends, whichever node began it.</summary>
    public override async Task<IDbContextTransaction> BeginExclusiveAsync(ExclusiveSection section, CancellationToken cancellationToken)
    {
        var transaction = await Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var key = (long)section;
            await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken).ConfigureAwait(false);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
