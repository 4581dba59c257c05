using VideoTracker.Core.Jobs;

namespace VideoTracker.Core.Nodes;

/// <summary>
/// This node's row in <c>nodes</c>: written at start-up and every <c>Jobs:SweepSeconds</c> (its role and the tools it
/// claims now, which change when a model appears or goes), and deleted when the node stops.
/// </summary>
public sealed class NodeBeat(
    NodeStore store,
    NodeCapabilities capabilities,
    ProcessInstance instance,
    IOptions<NodeOptions> node,
    TimeProvider time,
    IOptions<JobsOptions> options,
    ILogger<NodeBeat> logger) : PeriodicSweep("node", TimeSpan.FromSeconds(options.Value.SweepSeconds), time, logger)
{
    /// <summary>
    /// When the first beat ran, not when this was made: that is before the app's clock has read the database server's
    /// (see <c>DatabaseClock</c>), so a node whose own clock is off would say it started that far off.
    /// </summary>
    private DateTime? _startedAt;

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => store.BeatAsync(
        new NodeRecord
        {
            NodeId = instance.Id,
            Name = instance.NodeName,
            Role = node.Value.RoleName,
            Tools = [.. capabilities.ClaimableTools().Select(t => t.ToStored())],
            StartedAt = _startedAt ??= Time.GetUtcNow().UtcDateTime,
        },
        cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (ExecuteTask is null)
        {
            return;   // never started (a start that failed before it, then stopped): no row of this process to remove
        }

        try
        {
            await store.RemoveAsync(instance.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The host disposed its services before this stop ran (a test host torn down at once): nothing to write
            // with, and nothing is wrong. The row ages out of the running nodes within three beats.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown time ran out first (the server waited it out for a request still arriving): the
            // row ages out of the running nodes within three beats, and the stop goes on.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The row then ages out of the running nodes within three beats.
            Jobs.Log.SweepFailed(Logger, "node", ex);
        }
    }
}
