namespace VideoTracker.Core.Jobs;

/// <summary>A page of jobs, newest first, and how many match in all.</summary>
public sealed record JobListSlice(IReadOnlyList<VideoJob> Jobs, int Count);

/// <summary>Limits a job list to one user's jobs (visibility <c>own</c>).</summary>
public sealed record JobOwnerFilter(string Username);

/// <summary>
/// Which jobs a list shows: one status, those whose file name, plugin, tool or owner contains <see cref="Search"/>
/// (any case), and only <see cref="Owner"/>'s when given. Every part is optional.
/// </summary>
public sealed record JobListFilter(JobStatus? Status = null, string? Search = null, JobOwnerFilter? Owner = null)
{
    /// <summary>The longest search text taken.</summary>
    public const int MaxSearchLength = 200;

    /// <summary>The search as compared: trimmed and lower case; null when there is none.</summary>
    public string? SearchTerm => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim().ToLowerInvariant();
}
