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

    /// <summary>A page of the entries <paramref name="filter"/> lets through, newest first, and how many it lets through in all.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, int Count)> ListAsync(AuditFilter filter, int limit, int offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.AuditEntries.AsNoTracking();
        if (filter.Username is { } username)
        {
            query = query.Where(e => e.Username == username);
        }

        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        var count = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        var entries = await query.OrderByDescending(e => e.Id)
            .Skip(offset).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return (entries, count);
    }
}
