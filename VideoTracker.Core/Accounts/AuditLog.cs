namespace VideoTracker.Core.Accounts;

/// <summary>Writes and reads the audit trail. Callers pass names, ids and addresses, never secrets.</summary>
public sealed class AuditLog(IDbContextFactory<VideoTrackerDbContext> contexts, TimeProvider time)
{
    public async Task RecordAsync(string action, string? username, string? address, Guid? jobId = null, string? detail = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            Action = action,
            Username = username,
            JobId = jobId,
            Address = address,
            Detail = detail,
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A page of entries, newest first, and how many there are in all.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, int Count)> ListAsync(int limit, int offset, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var count = await db.AuditEntries.CountAsync(cancellationToken).ConfigureAwait(false);
        var entries = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id)
            .Skip(offset).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return (entries, count);
    }
}
