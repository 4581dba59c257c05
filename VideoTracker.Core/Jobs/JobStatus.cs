namespace VideoTracker.Core.Jobs;

/// <summary>The life cycle of a job. Stored and reported in lower case.</summary>
public enum JobStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
}

public static class JobStatusExtensions
{
    public static string ToWire(this JobStatus status) => status switch
    {
        JobStatus.Pending => "pending",
        JobStatus.Running => "running",
        JobStatus.Completed => "completed",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParseWire(string? value, out JobStatus status)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case "PENDING": status = JobStatus.Pending; return true;
            case "RUNNING": status = JobStatus.Running; return true;
            case "COMPLETED": status = JobStatus.Completed; return true;
            case "FAILED": status = JobStatus.Failed; return true;
            case "CANCELLED": status = JobStatus.Cancelled; return true;
            default: status = default; return false;
        }
    }

    public static bool IsTerminal(this JobStatus status) =>
        status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
}
