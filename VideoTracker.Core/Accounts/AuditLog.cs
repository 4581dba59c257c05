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

    /// <summary>
    /// A page of the entries <paramref name="filter"/> lets through, newest first, and how many it lets through in all: counted
    /// (every matching entry read once more) only when the page does not tell (<see cref="PageTotal"/>).
    /// </summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, int Count)> ListAsync(AuditFilter filter, int limit, int offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var matching = Matching(db.AuditEntries.AsNoTracking(), filter);
        var entries = await Page(matching, limit, offset).ToListAsync(cancellationToken).ConfigureAwait(false);
        var count = PageTotal.FromPage(offset, limit, entries.Count) ?? await matching.CountAsync(cancellationToken).ConfigureAwait(false);
        return (entries, count);
    }

    /// <summary>
    /// Deletes up to <paramref name="limit"/> of the entries recorded before <paramref name="cutoff"/>, the oldest first, in
    /// one short statement (found on <c>ix_audit_entries_at</c>); returns how many.
    /// </summary>
    public async Task<int> DeleteBeforeAsync(DateTime cutoff, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await Before(db.AuditEntries, cutoff, limit).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first <paramref name="limit"/> entries recorded before <paramref name="cutoff"/>, oldest first.</summary>
    internal static IQueryable<AuditEntry> Before(IQueryable<AuditEntry> entries, DateTime cutoff, int limit) =>
        entries.Where(e => e.At < cutoff).OrderBy(e => e.At).Take(limit);

    /// <summary>The entries <paramref name="filter"/> lets through (served by the indexes on username and on action).</summary>
    internal static IQueryable<AuditEntry> Matching(IQueryable<AuditEntry> entries, AuditFilter filter)
    {
        if (filter.Username is { } username)
        {
            entries = entries.Where(e => e.Username == username);
        }

        if (filter.Action is { } action)
        {
            entries = entries.Where(e => e.Action == action);
        }

        return entries;
    }

    /// <summary>One page of <paramref name="matching"/>, newest (highest id) first.</summary>
    internal static IQueryable<AuditEntry> Page(IQueryable<AuditEntry> matching, int limit, int offset) =>
        matching.OrderByDescending(e => e.Id).Skip(offset).Take(limit);
}
