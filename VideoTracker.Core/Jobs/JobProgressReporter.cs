using VideoTracker.Core.Progress;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// The <see cref="IProgress{T}"/> a tool reports to, and the only writer of a running job's live state.
/// Every frame updates the counters in memory; a percent that enters a new step is written with the
/// counters of that moment (at most 21 writes a job), and each heartbeat writes them with the lease (at most
/// one write per <c>Jobs:HeartbeatSeconds</c>). Writes run in order, off the frame loop, and so does the saving of the
/// job's end (<see cref="EndAsync{T}"/>), after which no heartbeat writes.
/// </summary>
internal sealed class JobProgressReporter(Guid jobId, string owner, JobStore store, TimeProvider time, int stepPercent, ILogger logger)
    : IProgress<FrameProgress>
{
    private readonly ProgressThrottle _throttle = new(stepPercent);
    private readonly long _started = time.GetTimestamp();
    private readonly Lock _gate = new();
    private Task _writes = Task.CompletedTask;
    private int _current;
    private int _total;
    private int _progressWrites;
    private int _heartbeatWrites;
    private bool _ended;

    /// <summary>How many progress writes this job made (the claim's 0 and the completion's 100 not counted).</summary>
    public int ProgressWrites => Volatile.Read(ref _progressWrites);

    /// <summary>How many heartbeat writes this job made.</summary>
    public int HeartbeatWrites => Volatile.Read(ref _heartbeatWrites);

    /// <summary>Frames done so far.</summary>
    public int CurrentFrame => Volatile.Read(ref _current);

    public void Report(FrameProgress value)
    {
        Volatile.Write(ref _total, value.TotalFrames);
        Volatile.Write(ref _current, value.CurrentFrame);
        if (_throttle.Report(value) is { } percent)
        {
            Interlocked.Increment(ref _progressWrites);
            var live = Snapshot();
            Chain(() => WriteProgressAsync(percent, live));
        }
    }

    /// <summary>
    /// The heartbeat's write, queued behind the writes already started; <see cref="HeartbeatOutcome.Ended"/>, writing
    /// nothing, once the job's end is saved.
    /// </summary>
    public Task<HeartbeatOutcome> BeatAsync(TimeSpan lease, CancellationToken cancellationToken) => Queue(async () =>
    {
        if (_ended)
        {
            return HeartbeatOutcome.Ended;
        }

        Interlocked.Increment(ref _heartbeatWrites);
        return await store.HeartbeatAsync(jobId, owner, lease, Snapshot(), cancellationToken).ConfigureAwait(false);
    });

    /// <summary>
    /// Saves the job's end with <paramref name="save"/>, queued behind the writes already started. Once a save has
    /// answered, the heartbeat writes no more: a beat that met the end this worker saved would read it as a lost lease.
    /// </summary>
    public Task<T> EndAsync<T>(Func<Task<T>> save) => Queue(async () =>
    {
        var answer = await save().ConfigureAwait(false);
        _ended = true;
        return answer;
    });

    /// <summary>The counters now: frames, total, frames per second since the start and seconds left at that speed.</summary>
    public LiveCounters Snapshot()
    {
        int current = Volatile.Read(ref _current), total = Volatile.Read(ref _total);
        var seconds = time.GetElapsedTime(_started).TotalSeconds;
        double? fps = current > 0 && seconds > 0.05 ? Math.Round(current / seconds, 2) : null;
        double? eta = fps is > 0 && total >= current ? Math.Round((total - current) / fps.Value, 1) : null;
        // A tool's first report carries its total (at least 1 frame); a heartbeat before it says none, not "of 0".
        return new LiveCounters(current, total > 0 ? total : null, fps, eta);
    }

    /// <summary>Waits for the writes already started.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _writes;
        }
    }

    private void Chain(Func<Task> write)
    {
        lock (_gate)
        {
            var previous = _writes;
            _writes = RunAfterAsync(previous, write);
        }
    }

    /// <summary>Runs <paramref name="write"/> after the writes already started; its task carries the answer or the error.</summary>
    private Task<T> Queue<T>(Func<Task<T>> write)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Chain(async () =>
        {
            try
            {
                answer.TrySetResult(await write().ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                answer.TrySetException(ex);
            }
        });
        return answer.Task;
    }

    private static async Task RunAfterAsync(Task previous, Func<Task> write)
    {
        await previous.ConfigureAwait(false);
        await write().ConfigureAwait(false);
    }

    private async Task WriteProgressAsync(int percent, LiveCounters live)
    {
        try
        {
            await store.UpdateProgressAsync(jobId, owner, percent, live, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The next step, the heartbeat or the completion writes the state again.
            Log.ProgressWriteFailed(logger, jobId, percent, ex);
        }
    }
}
