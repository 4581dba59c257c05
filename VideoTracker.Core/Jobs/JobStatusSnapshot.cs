namespace VideoTracker.Core.Jobs;

/// <summary>
/// What a status poll answers, read from the row alone: the status columns, the live counters while the job
/// runs, and its place in the queue while it waits; its tool names what a pending job waits for. Built by <see cref="JobViews.GetStatusAsync"/>.
/// </summary>
public sealed record JobStatusSnapshot(
    Guid JobId,
    JobStatus Status,
    int? Progress,
    int? CurrentFrame,
    int? TotalFrames,
    double? Fps,
    double? EtaSeconds,
    string? Error,
    int Attempts,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime UpdatedAt,
    DateTime? CompletedAt,
    string PluginId,
    string Tool)
{
    public int? QueuePosition { get; init; }

    /// <summary>While pending for a tool that no running node claims, why it waits; else null.</summary>
    public string? WaitingReason { get; init; }
}
