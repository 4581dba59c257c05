namespace VideoTracker.Core.Jobs;

internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Job {JobId} started: {PluginId}/{Tool} on {Device}")]
    public static partial void JobStarted(ILogger logger, Guid jobId, string pluginId, string tool, string device);

    [LoggerMessage(1002, LogLevel.Information, "Job {JobId} finished on {Worker}: {Frames} frames in {Seconds:F1}s ({Fps:F1} fps), {ProgressWrites} progress writes, {HeartbeatWrites} heartbeat writes")]
    public static partial void JobFinished(ILogger logger, Guid jobId, string worker, int frames, double seconds, double fps, int progressWrites, int heartbeatWrites);

    [LoggerMessage(1003, LogLevel.Warning, "Job {JobId} failed after {Frames} frames in {Seconds:F1}s ({Fps:F1} fps): {Error}")]
    public static partial void JobFailed(ILogger logger, Guid jobId, int frames, double seconds, double fps, string error, Exception? exception);

    [LoggerMessage(1004, LogLevel.Information, "Job {JobId} cancelled after {Frames} frames in {Seconds:F1}s")]
    public static partial void JobCancelled(ILogger logger, Guid jobId, int frames, double seconds);

    [LoggerMessage(1005, LogLevel.Error, "Job {JobId} crashed its worker")]
    public static partial void JobCrashed(ILogger logger, Guid jobId, Exception exception);

    [LoggerMessage(1006, LogLevel.Debug, "Job {JobId} was not pending any more; skipped")]
    public static partial void JobNotClaimed(ILogger logger, Guid jobId);

    [LoggerMessage(1007, LogLevel.Warning, "Job {JobId} was interrupted (attempt {Attempts}); now {Status}")]
    public static partial void JobRecovered(ILogger logger, Guid jobId, int attempts, string status);

    [LoggerMessage(1008, LogLevel.Information, "Job {JobId} released back to the queue at shutdown")]
    public static partial void JobReleased(ILogger logger, Guid jobId);

    [LoggerMessage(1009, LogLevel.Warning, "The queue is full; {Count} pending jobs wait for the next sweep")]
    public static partial void QueueFull(ILogger logger, int count);

    [LoggerMessage(1010, LogLevel.Error, "The {Sweep} sweep failed")]
    public static partial void SweepFailed(ILogger logger, string sweep, Exception exception);

    [LoggerMessage(1011, LogLevel.Warning, "Could not delete {Path}")]
    public static partial void DeleteFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(1012, LogLevel.Warning, "Heartbeat of job {JobId} failed")]
    public static partial void HeartbeatFailed(ILogger logger, Guid jobId, Exception exception);

    [LoggerMessage(1014, LogLevel.Warning, "Progress write of job {JobId} at {Percent}% failed")]
    public static partial void ProgressWriteFailed(ILogger logger, Guid jobId, int percent, Exception exception);

    [LoggerMessage(1015, LogLevel.Information, "Job {JobId}: cancel requested; stopping")]
    public static partial void CancelSeen(ILogger logger, Guid jobId);

    [LoggerMessage(1016, LogLevel.Warning, "Job {JobId} is no longer this worker's (its lease expired and another worker took it, or it ended); stopping without writing")]
    public static partial void LeaseLost(ILogger logger, Guid jobId);

    [LoggerMessage(1017, LogLevel.Warning, "Listening on PostgreSQL for job notifications failed; trying again (the sweep covers the gap)")]
    public static partial void ListenerFailed(ILogger logger, Exception exception);

    [LoggerMessage(1018, LogLevel.Error, "Job {JobId} would have completed without every frame: the tool reported {Reported} frames, the results hold {Written}")]
    public static partial void ResultsIncomplete(ILogger logger, Guid jobId, int reported, int written);

    [LoggerMessage(1019, LogLevel.Warning, "Job {JobId}: saving its completion failed (try {Attempt}): {Reason} Trying again in {Seconds:F2}s")]
    public static partial void CompletionRetried(ILogger logger, Guid jobId, int attempt, double seconds, string reason);

    [LoggerMessage(1020, LogLevel.Error, "Job {JobId}: the database was away or full while its end was saved; left running for the recovery sweep (after its lease) to complete or run again")]
    public static partial void JobLeftForRecovery(ILogger logger, Guid jobId, Exception exception);

    [LoggerMessage(1021, LogLevel.Error, "Claiming the next job failed (is the database away?); trying again in 1 s")]
    public static partial void ClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(1022, LogLevel.Warning, "Job {JobId}: saving its failure failed (try {Attempt}): {Reason} Trying again in {Seconds:F2}s")]
    public static partial void FailureRetried(ILogger logger, Guid jobId, int attempt, double seconds, string reason);

    [LoggerMessage(1023, LogLevel.Error, "Job {JobId}: its failure could not be saved ({Reason}); it is not run again: the recovery sweep saves it as failed once the database takes writes")]
    public static partial void FailureLeftForRecovery(ILogger logger, Guid jobId, string reason);

    [LoggerMessage(1024, LogLevel.Information, "Job {JobId}: its failure was saved by the recovery sweep")]
    public static partial void FailureSaved(ILogger logger, Guid jobId);

    [LoggerMessage(1025, LogLevel.Warning, "Job {JobId}: its failure still cannot be saved ({Reason}); trying again at the next sweep")]
    public static partial void FailureStillUnsaved(ILogger logger, Guid jobId, string reason);

    [LoggerMessage(1026, LogLevel.Information, "Deleted {Count} upload leftovers untouched for {Hours} hours from the staging folder")]
    public static partial void StagingSwept(ILogger logger, int count, double hours);

    [LoggerMessage(1027, LogLevel.Information, "Start-up deleted {Count} webhook deliveries whose job was gone")]
    public static partial void OrphanedDeliveriesDeleted(ILogger logger, int count);

    [LoggerMessage(1013, LogLevel.Information, "Retention deleted {Count} jobs older than {Days} days")]
    public static partial void RetentionDeleted(ILogger logger, int count, int days);

    [LoggerMessage(1030, LogLevel.Information, "Retention deleted {Count} audit entries older than {Days} days")]
    public static partial void AuditRetentionDeleted(ILogger logger, int count, int days);

    [LoggerMessage(1090, LogLevel.Error, "A job-ended handler ({Handler}) failed for job {JobId}")]
    public static partial void JobEndedHandlerFailed(ILogger logger, Guid jobId, string handler, Exception exception);
}
