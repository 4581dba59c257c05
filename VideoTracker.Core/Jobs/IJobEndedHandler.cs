namespace VideoTracker.Core.Jobs;

/// <summary>Hears that a job reached a terminal state (completed, failed or cancelled). A DI collection.</summary>
public interface IJobEndedHandler
{
    Task OnJobEndedAsync(Guid jobId, CancellationToken cancellationToken);
}

/// <summary>Tells every <see cref="IJobEndedHandler"/> that a job ended; a handler that throws never fails the job.</summary>
public sealed class JobEndedNotifier(IEnumerable<IJobEndedHandler> handlers, Microsoft.Extensions.Logging.ILogger<JobEndedNotifier> logger)
{
    public async Task NotifyAsync(Guid jobId)
    {
        foreach (var handler in handlers)
        {
            try
            {
                await handler.OnJobEndedAsync(jobId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.JobEndedHandlerFailed(logger, jobId, handler.GetType().Name, ex);
            }
        }
    }
}
