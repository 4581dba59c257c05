using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// At start-up and then every <c>Jobs:SweepSeconds</c>: puts running jobs that no live worker holds
/// back to pending (or fails them after <c>Jobs:MaxAttempts</c>), and queues every pending job the
/// queue does not hold yet. This is what makes the database, not the channel, the truth.
/// </summary>
public sealed class JobRecoveryService(
    JobStore store,
    JobQueue queue,
    RunningJobs running,
    JobFiles files,
    ProcessInstance instance,
    TimeProvider time,
    IOptions<JobsOptions> options,
    ILogger<JobRecoveryService> logger) : PeriodicSweep(time, logger)
{
    protected override string Name => "recovery";

    protected override TimeSpan Period => TimeSpan.FromSeconds(options.Value.SweepSeconds);

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var job in await store.FindInterruptedAsync(instance.Id, running.Ids, cancellationToken).ConfigureAwait(false))
        {
            var status = await store.RecoverAsync(job, options.Value.MaxAttempts, cancellationToken).ConfigureAwait(false);
            if (status is not null)
            {
                files.DeletePartialResults(job.JobId);
                Log.JobRecovered(Logger, job.JobId, job.Attempts + 1, status.Value.ToWire());
            }
        }

        var waiting = 0;
        foreach (var id in await store.PendingIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!queue.TryEnqueue(id))
            {
                waiting++;
            }
        }

        if (waiting > 0)
        {
            Log.QueueFull(Logger, waiting);
        }
    }
}
