using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// <c>Jobs:Workers</c> loops that read job ids from the queue and run each in its own DI scope.
/// A job that throws never stops a worker.
/// </summary>
public sealed class JobWorkerPool(
    JobQueue queue,
    IServiceScopeFactory scopes,
    IOptions<JobsOptions> options,
    ILogger<JobWorkerPool> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var id in queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var scope = scopes.CreateAsyncScope();
                await using (scope.ConfigureAwait(false))
                {
                    try
                    {
                        await scope.ServiceProvider.GetRequiredService<JobRunner>().RunAsync(id, stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        Log.JobCrashed(logger, id, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
