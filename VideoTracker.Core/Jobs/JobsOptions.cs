using System.ComponentModel.DataAnnotations;

namespace VideoTracker.Core.Jobs;

public sealed class JobsOptions : IValidatableObject
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

    /// <summary>How often a running job's worker renews its lease and writes its live counters (and sees a cancel).</summary>
    [Range(1, 600)] public int HeartbeatSeconds { get; init; } = 2;

    /// <summary>How often the recovery sweep looks for expired leases and forgotten pending jobs.</summary>
    [Range(1, 3600)] public int SweepSeconds { get; init; } = 10;

    /// <summary>Start encoding the browser preview when a job starts (in the background, ffmpeg at idle priority), so it is ready when the job ends.</summary>
    public bool PreparePreview { get; init; } = true;

    /// <summary>
    /// How long a request waits for a preview that another process encodes while that encode does not advance; then it
    /// stops waiting and answers 503 (the encoder keeps its lock while it lives). Also how long the encode's progress may
    /// stay unchanged, by this node's clock, before the job page stops saying "Preparing preview", and how long this
    /// node's own encode may make no progress before its ffmpeg is killed (the encode then fails, and the next request
    /// starts anew).
    /// </summary>
    [Range(15, 86_400)] public int PreviewStallSeconds { get; init; } = 300;

    /// <summary>
    /// How long a preview request waits for an encode in progress (here or on another node) before it answers 503 with
    /// <c>Retry-After</c> and the percent done; the encode goes on.
    /// </summary>
    [Range(0, 3600)] public int PreviewWaitSeconds { get; init; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseSeconds < 2 * HeartbeatSeconds)
        {
            yield return new ValidationResult(
                $"Jobs:LeaseSeconds ({LeaseSeconds}) must be at least twice Jobs:HeartbeatSeconds ({HeartbeatSeconds}), so one missed heartbeat does not lose a job.",
                [nameof(LeaseSeconds), nameof(HeartbeatSeconds)]);
        }
    }
}
