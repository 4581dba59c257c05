namespace VideoTracker.Core.Jobs;

/// <summary>A running job's frame counters, speed and time left, as its worker writes them to the row.</summary>
/// <param name="TotalFrames">Null until the tool has said how many frames it will analyse (while it opens the clip).</param>
public readonly record struct LiveCounters(int CurrentFrame, int? TotalFrames, double? Fps, double? EtaSeconds);

/// <summary>What a heartbeat found.</summary>
public enum HeartbeatOutcome
{
    /// <summary>The lease is renewed and the counters written.</summary>
    Renewed,

    /// <summary>Someone asked to cancel the job (<c>cancel_requested_at</c> is set).</summary>
    CancelRequested,

    /// <summary>The job is no longer this worker's: it ended, or its lease expired and another worker took it.</summary>
    Lost,

    /// <summary>This worker has saved the job's end: the heartbeat stops, writing nothing.</summary>
    Ended,
}
