using Microsoft.EntityFrameworkCore.Infrastructure;

namespace VideoTracker.Core.Data;

/// <summary>
/// What start-up checks in <c>__EFMigrationsHistory</c> before it migrates: migrations that main once had under another
/// id are recorded under their id now, and a database that a newer version migrated is refused.
/// </summary>
internal static class MigrationHistory
{
    /// <summary>
    /// Old id, new id: the same migration, made again under a new id after it was on main (its Up and Down unchanged).
    /// AddAuditIndexes was made again after AddNodes (ddd8572); main had it under the old ids from 3f372f0, four minutes
    /// earlier. Without this, a database migrated then would be given the same indexes again, and not start.
    /// </summary>
    private static readonly (string Old, string New)[] Renamed =
    [
        ("20261127130040_AddAuditIndexes", "20261127133405_AddAuditIndexes"),
        ("20261127130045_AddAuditIndexes", "20261127133422_AddAuditIndexes"),
    ];

    public static async Task PrepareAsync(DatabaseFacade database, ILogger logger, CancellationToken cancellationToken)
    {
        var applied = (await database.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        foreach (var (old, current) in Renamed.Where(r => applied.Contains(r.Old)))
        {
            var sql = applied.Contains(current)
                ? "DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {0}"
                : "UPDATE \"__EFMigrationsHistory\" SET \"MigrationId\" = {1} WHERE \"MigrationId\" = {0}";
            await database.ExecuteSqlRawAsync(sql, [old, current], cancellationToken).ConfigureAwait(false);
            applied.Remove(old);
            applied.Add(current);
            Log.MigrationRenamed(logger, old, current);
        }

        var known = database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var newer = applied.Where(m => !known.Contains(m)).Order(StringComparer.Ordinal).ToList();
        if (newer.Count > 0)
        {
            throw new StartupFailedException(
                $"The database was migrated by a newer version of VideoTracker than this one ({string.Join(", ", newer)}, which this version does not have). " +
                "Start that version or a newer one, or restore the backup made before the upgrade: this version would run on a schema it does not know.");
        }
    }
}
