using VideoTracker.Core.Jobs;

namespace VideoTracker.Core.Nodes;

/// <summary>Every read and write of the <c>nodes</c> table, each on its own short-lived context.</summary>
public sealed class NodeStore(IDbContextFactory<VideoTrackerDbContext> contexts, TimeProvider time)
{
    /// <summary>The row of a node not seen for this long (it died, or lost its database for good) is deleted.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// A node counts as running while it was seen within three of its beats (<c>Jobs:SweepSeconds</c> each): one late
    /// beat does not make it look gone.
    /// </summary>
    public static TimeSpan SeenWithin(JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TimeSpan.FromSeconds(3 * options.SweepSeconds);
    }

    /// <summary>Writes what <paramref name="node"/> says of itself now, and forgets nodes gone for <see cref="ForgetAfter"/>.</summary>
    public async Task BeatAsync(NodeRecord node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        // Only the node itself writes its row (its id is its own), so a read and then an insert or update cannot race.
        var row = await db.Nodes.FirstOrDefaultAsync(n => n.NodeId == node.NodeId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new NodeRecord { NodeId = node.NodeId, Name = node.Name, Role = node.Role, StartedAt = node.StartedAt };
            db.Nodes.Add(row);
        }

        row.Name = node.Name;
        row.Role = node.Role;
        row.Tools = [.. node.Tools];
        row.LastSeenAt = now;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        var forgotten = now - ForgetAfter;
        await db.Nodes.Where(n => n.LastSeenAt < forgotten).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a stopping node's row, so it is not counted as running any more.</summary>
    public async Task RemoveAsync(string nodeId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Nodes.Where(n => n.NodeId == nodeId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every node's row, most recently seen first.</summary>
    public async Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var nodes = await db.Nodes.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. nodes.OrderByDescending(n => n.LastSeenAt).ThenBy(n => n.Name, StringComparer.Ordinal)];
    }

    /// <summary>The tools that the nodes seen since <paramref name="since"/> claim, all together.</summary>
    public async Task<IReadOnlySet<ToolKey>> ToolsSeenSinceAsync(DateTime since, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var lists = await db.Nodes.AsNoTracking().Where(n => n.LastSeenAt >= since).Select(n => n.Tools).ToListAsync(cancellationToken).ConfigureAwait(false);
        return lists.SelectMany(t => t).Select(ToolKey.FromStored).OfType<ToolKey>().ToHashSet();
    }
}
