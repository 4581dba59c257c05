using System.ComponentModel.DataAnnotations;

namespace VideoTracker.Core.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Number of background workers, each running one job at a time.</summary>
    [Range(1, 64)] public int Workers { get; init; } = 1;

    /// <summary>How many job ids the queue holds before submit answers 503.</summary>
    [Range(1, 100_000)] public int QueueCapacity { get; init; } = 100;

    /// <summary>Progress is persisted only when the percent enters a new step of this size.</summary>
    [Range(1, 50)] public int ProgressStepPercent { get; init; } = 5;

    /// <summary>A job interrupted this many times fails instead of running again.</summary>
    [Range(1, 100)] public int MaxAttempts { get; init; } = 3;

    /// <summary>How long a running job's lease lasts without a heartbeat.</summary>
    [Range(3, 3600)] public int LeaseSeconds { get; init; } = 30;

    /// <summary>How often the recovery sweep looks for expired leases and forgotten pending jobs.</summary>
    [Range(1, 3600)] public int SweepSeconds { get; init; } = 10;
}
