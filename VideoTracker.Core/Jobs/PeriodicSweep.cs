using Microsoft.Extensions.Hosting;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// A background sweep: one pass at start-up, then one every <paramref name="period"/>, on the injected clock. A pass
/// that throws is logged (as the <paramref name="name"/> sweep) and the next one runs; stopping the host ends the
/// loop quietly. Subclasses write only their pass (<see cref="SweepOnceAsync"/>), which tests call directly.
/// </summary>
public abstract class PeriodicSweep(string name, TimeSpan period, TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected ILogger Logger { get; } = logger;

    /// <summary>When false, the service does nothing at all (for example, retention with Days = 0).</summary>
    protected virtual bool Enabled => true;

    protected abstract Task SweepOnceAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(period, Time);
        try
        {
            do
            {
                try
                {
                    await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.SweepFailed(Logger, name, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
