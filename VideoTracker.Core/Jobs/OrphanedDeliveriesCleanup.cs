using VideoTracker.Core.Data;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// Deletes, once at start-up, webhook deliveries whose job is gone: older versions deleted a job without them. Deleting
/// a job now deletes its deliveries with it, so none are left later.
/// </summary>
public sealed class OrphanedDeliveriesCleanup(JobStore store, ILogger<OrphanedDeliveriesCleanup> logger) : IStartupTask
{
    public string Name => "Delete webhook deliveries whose job is gone";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (await store.DeleteOrphanedDeliveriesAsync(cancellationToken).ConfigureAwait(false) is > 0 and var orphans)
        {
            Log.OrphanedDeliveriesDeleted(logger, orphans);
        }
    }
}
