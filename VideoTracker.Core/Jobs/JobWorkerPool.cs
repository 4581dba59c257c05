using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VideoTracker.Core.Nodes;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// <c>Jobs:Workers</c> loops, each running one job at a time in its own DI scope. On SQLite they read job ids
/// from the in-process queue; on PostgreSQL they claim the oldest pending job from the table and, when there is
/// none, sleep until a notification, a local submit or the sweep wakes them. A <c>web</c> node runs none.
/// A job that throws never stops a worker. Once the app begins to stop (<see cref="IHostApplicationLifetime.ApplicationStopping"/>),
/// a worker takes no further job (checked before each run, so a job taken in the instant the app begins to stop may
/// still start; it is interrupted with the rest): the server may still be finishing requests for the host's shutdown
/// time (an upload that creates a job), and a job started then would only be interrupted. A job already running goes
/// on until the pool itself is stopped.
/// </summary>
public sealed class JobWorkerPool(
    JobQueue queue,
    JobWakeup wakeup,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<JobsOptions> options,
    IOptions<DatabaseOptions> database,
    IOptions<NodeOptions> node,
    IHostApplicationLifetime lifetime,
    ILogger<JobWorkerPool> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!node.Value.RunsJobs)
        {
            return Task.CompletedTask;
        }

        Func<CancellationToken, Task> work = database.Value.Kind == DatabaseProvider.Postgres ? ClaimFromTableAsync : ReadQueueAsync;
        return Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => Task.Run(() => work(stoppingToken), CancellationToken.None)));
    }

    private async Task ReadQueueAsync(CancellationToken stoppingToken)
    {
        using var taking = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        try
        {
            // The row stays pending when the app stops between reading an id and running it: the next start queues it.
            await foreach (var id in queue.ReadAllAsync(taking.Token).ConfigureAwait(false))
            {
                if (taking.IsCancellationRequested)
                {
                    return;
                }

                await InScopeAsync(id, runner => runner.RunAsync(id, stoppingToken), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (taking.IsCancellationRequested)
        {
        }
    }

    private async Task ClaimFromTableAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromSeconds(options.Value.SweepSeconds);
        using var taking = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        try
        {
            while (!taking.IsCancellationRequested)
            {
                var ran = false;
                await InScopeAsync(null, async runner => ran = await runner.RunNextAsync(stoppingToken).ConfigureAwait(false), stoppingToken)
                    .ConfigureAwait(false);
                if (!ran)
                {
                    await wakeup.WaitAsync(idle, time, taking.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (taking.IsCancellationRequested)
        {
        }
    }

    private async Task InScopeAsync(Guid? jobId, Func<JobRunner, Task> run, CancellationToken stoppingToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            try
            {
                await run(scope.ServiceProvider.GetRequiredService<JobRunner>()).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (jobId is { } id)
                {
                    // The claim failed, or the runner could not be made: once claimed, a job's errors stop in its runner.
                    Log.JobCrashed(logger, id, ex);
                }
                else
                {
                    // A failing claim (the database is away): do not spin. A claimed job's own errors are logged by its runner.
                    Log.ClaimFailed(logger, ex);
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
    }
}
