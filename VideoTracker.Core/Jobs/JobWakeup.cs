namespace VideoTracker.Core.Jobs;

/// <summary>
/// Wakes this process's idle workers on PostgreSQL, where they claim from the table instead of reading the
/// channel: a submit here, a <c>vt_jobs</c> notification from any node, or the sweep. Every waiter wakes; each
/// then tries to claim, and <c>SKIP LOCKED</c> hands each pending job to one of them.
/// </summary>
public sealed class JobWakeup
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Wake() => Interlocked.Exchange(ref _signal, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits for the next <see cref="Wake"/>, or at most <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _signal).Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }
}
