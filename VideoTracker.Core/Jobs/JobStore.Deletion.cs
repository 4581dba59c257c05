using System.Linq.Expressions;

namespace VideoTracker.Core.Jobs;

/// <summary>The deletes of <see cref="JobStore"/>: a job goes with its webhook deliveries, in one transaction.</summary>
public sealed partial class JobStore
{
    /// <summary>
    /// Deletes the row, with its webhook deliveries (their URLs and payloads), only while the job is terminal, so an
    /// active job is never removed.
    /// </summary>
    public Task<bool> DeleteTerminalAsync(Guid jobId, CancellationToken cancellationToken) => DeleteWithDeliveriesAsync(
        jobId, IsTerminalJob, cancellationToken);

    /// <summary>Deletes the row, whatever its state, with its webhook deliveries.</summary>
    public Task<bool> DeleteAsync(Guid jobId, CancellationToken cancellationToken) => DeleteWithDeliveriesAsync(jobId, j => true, cancellationToken);

    /// <summary>
    /// Deletes the webhook deliveries whose job is gone (left by versions that deleted only the job's row), so that no
    /// URL or payload outlives its job. Returns how many.
    /// </summary>
    public async Task<int> DeleteOrphanedDeliveriesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.WebhookDeliveries.Where(d => !db.Jobs.Any(j => j.JobId == d.JobId))
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the job when <paramref name="condition"/> holds, and then its deliveries, in one transaction.</summary>
    private async Task<bool> DeleteWithDeliveriesAsync(Guid jobId, Expression<Func<VideoJob, bool>> condition, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.Where(j => j.JobId == jobId).Where(condition).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        if (rows == 1)
        {
            await db.WebhookDeliveries.Where(d => d.JobId == jobId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows == 1;
    }
}
