using System.ComponentModel.DataAnnotations;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Core.Jobs;

public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Terminal jobs older than this many days are deleted with their files. 0 keeps every job.</summary>
    [Range(0, 36_500)] public int Days { get; init; }

    /// <summary>Audit entries older than this many days are deleted. 0 keeps every entry.</summary>
    [Range(0, 36_500)] public int AuditDays { get; init; }

    /// <summary>How often the sweep runs.</summary>
    [Range(1, 86_400)] public int SweepMinutes { get; init; } = 60;
}

/// <summary>
/// Deletes terminal jobs older than <c>Retention:Days</c>, row, webhook deliveries and files together, and audit entries
/// older than <c>Retention:AuditDays</c>.
/// </summary>
public sealed class RetentionService(
    JobStore store,
    JobControl control,
    AuditLog audit,
    TimeProvider time,
    IOptions<RetentionOptions> options,
    ILogger<RetentionService> logger) : PeriodicSweep("retention", TimeSpan.FromMinutes(options.Value.SweepMinutes), time, logger)
{
    /// <summary>Audit entries deleted in one statement: a small batch, so that writers of the trail never wait long.</summary>
    public const int AuditBatch = 1000;

    protected override bool Enabled => options.Value.Days > 0 || options.Value.AuditDays > 0;

    protected override async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        await SweepAsync(cancellationToken).ConfigureAwait(false);
        await SweepAuditAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One pass; returns how many jobs it deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Days <= 0)
        {
            return 0;
        }

        var cutoff = Time.GetUtcNow().UtcDateTime.AddDays(-options.Value.Days);
        var deleted = 0;
        IReadOnlyList<Guid> batch;
        do
        {
            batch = await store.TerminalBeforeAsync(cutoff, 200, cancellationToken).ConfigureAwait(false);
            foreach (var id in batch)
            {
                if ((await control.DeleteAsync(id, cancellationToken).ConfigureAwait(false)).IsDone)
                {
                    deleted++;
                }
            }
        }
        while (batch.Count == 200);

        if (deleted > 0)
        {
            Log.RetentionDeleted(Logger, deleted, options.Value.Days);
        }

        return deleted;
    }

    /// <summary>One pass over the audit trail, <see cref="AuditBatch"/> entries a statement; returns how many it deleted.</summary>
    public async Task<int> SweepAuditAsync(CancellationToken cancellationToken)
    {
        if (options.Value.AuditDays <= 0)
        {
            return 0;
        }

        var cutoff = Time.GetUtcNow().UtcDateTime.AddDays(-options.Value.AuditDays);
        var deleted = 0;
        int batch;
        do
        {
            batch = await audit.DeleteBeforeAsync(cutoff, AuditBatch, cancellationToken).ConfigureAwait(false);
            deleted += batch;
        }
        while (batch == AuditBatch);

        if (deleted > 0)
        {
            Log.AuditRetentionDeleted(Logger, deleted, options.Value.AuditDays);
        }

        return deleted;
    }
}
