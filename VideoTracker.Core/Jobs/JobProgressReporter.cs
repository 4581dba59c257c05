using VideoTracker.Core.Progress;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// The <see cref="IProgress{T}"/> a tool reports to. Every frame updates the live counters in memory;
/// only a percent that enters a new step is written to the database, in order, off the frame loop.
/// </summary>
internal sealed class JobProgressReporter(Guid jobId, JobStore store, JobProgressTracker tracker, int stepPercent) : IProgress<FrameProgress>
{
    private readonly ProgressThrottle _throttle = new(stepPercent);
    private Task _writes = Task.CompletedTask;

    /// <summary>How many progress writes this job made (the claim's 0 and the completion's 100 not counted).</summary>
    public int Writes { get; private set; }

    public void Report(FrameProgress value)
    {
        tracker.Report(jobId, value);
        if (_throttle.Report(value) is { } percent)
        {
            Writes++;
            var previous = _writes;
            _writes = WriteAfterAsync(previous, percent);
        }
    }

    /// <summary>Waits for the writes already started.</summary>
    public Task FlushAsync() => _writes;

    private async Task WriteAfterAsync(Task previous, int percent)
    {
        await previous.ConfigureAwait(false);
        await store.UpdateProgressAsync(jobId, percent, CancellationToken.None).ConfigureAwait(false);
    }
}
