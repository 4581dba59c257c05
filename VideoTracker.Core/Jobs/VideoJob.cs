namespace VideoTracker.Core.Jobs;

/// <summary>One row of the <c>jobs</c> table: the truth about a job.</summary>
public sealed class VideoJob
{
    public Guid JobId { get; set; }
    public required string PluginId { get; set; }
    public required string Tool { get; set; }
    public string Device { get; set; } = "cpu";
    public JobStatus Status { get; set; } = JobStatus.Pending;

    /// <summary>Persisted percent, 0..100. Null for jobs created before progress tracking existed.</summary>
    public int? Progress { get; set; }

    /// <summary>The validated tool options, as a JSON object.</summary>
    public string OptionsJson { get; set; } = "{}";

    /// <summary>The client's file name: display text only, never used as a path.</summary>
    public required string OriginalFileName { get; set; }

    /// <summary>Path of the stored upload, relative to the data folder, with a server-generated name.</summary>
    public required string StoredFilePath { get; set; }

    public long FileSizeBytes { get; set; }

    /// <summary>The username of who submitted the job; null for jobs from before accounts, or from the service key.</summary>
    public string? Owner { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? Error { get; set; }

    /// <summary>How many times a run of this job was interrupted (process crash, lost lease).</summary>
    public int Attempts { get; set; }

    /// <summary>Folder of the results, relative to the data folder; set when the job completes.</summary>
    public string? ResultsPath { get; set; }

    /// <summary>The process instance that holds the running job.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>When the running job's lease runs out unless its worker renews it.</summary>
    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>Frames done so far by the current run, written with progress and with the heartbeat.</summary>
    public int? CurrentFrame { get; set; }

    /// <summary>Frames the tool expects to analyse (the clip's count, or the job's frame limit).</summary>
    public int? TotalFrames { get; set; }

    /// <summary>Frames per second of the current run, measured by its worker.</summary>
    public double? Fps { get; set; }

    /// <summary>Seconds left at the current speed.</summary>
    public double? EtaSeconds { get; set; }

    /// <summary>When someone asked to cancel the job; its worker, on whichever node, stops when it sees this.</summary>
    public DateTime? CancelRequestedAt { get; set; }

    /// <summary>The node (<c>Node:Name</c>) that runs or last ran the job.</summary>
    public string? Worker { get; set; }
}
