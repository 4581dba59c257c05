using System.Collections.Concurrent;
using VideoTracker.Core.Progress;

namespace VideoTracker.Core.Jobs;

/// <summary>Live, in-memory progress of a running job: frame counts, speed and time left.</summary>
public sealed record LiveProgress(int CurrentFrame, int TotalFrames, double? Fps, double? EtaSeconds);

/// <summary>
/// Holds the live frame counters of running jobs. Updated on every frame (cheap, no I/O); the
/// persisted percent is written separately and throttled.
/// </summary>
public sealed class JobProgressTracker(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    public void Start(Guid jobId) => _entries[jobId] = new Entry(time.GetTimestamp());

    public void Report(Guid jobId, FrameProgress progress)
    {
        if (_entries.TryGetValue(jobId, out var entry))
        {
            entry.Current = progress.CurrentFrame;
            entry.Total = progress.TotalFrames;
        }
    }

    public void Stop(Guid jobId) => _entries.TryRemove(jobId, out _);

    public LiveProgress? Get(Guid jobId)
    {
        if (!_entries.TryGetValue(jobId, out var entry))
        {
            return null;
        }

        int current = entry.Current, total = entry.Total;
        var seconds = time.GetElapsedTime(entry.StartedTimestamp).TotalSeconds;
        double? fps = current > 0 && seconds > 0.05 ? Math.Round(current / seconds, 2) : null;
        double? eta = fps is > 0 && total >= current ? Math.Round((total - current) / fps.Value, 1) : null;
        return new LiveProgress(current, total, fps, eta);
    }

    private sealed class Entry(long startedTimestamp)
    {
        public long StartedTimestamp { get; } = startedTimestamp;

        public volatile int Current;
        public volatile int Total;
    }
}
