using System.Collections.Concurrent;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// Jobs this process failed but could not mark failed (the database was full or away for longer than the runner's
/// retries), each with its reason. The recovery sweep saves each such failure as soon as the database takes writes
/// again, and never puts the job back in the queue: a job whose results did not fit on the disk is not run again.
/// </summary>
public sealed class UnsavedFailures
{
    private readonly ConcurrentDictionary<Guid, string> _reasons = new();

    public IReadOnlyList<KeyValuePair<Guid, string>> All => [.. _reasons];

    public void Add(Guid jobId, string reason) => _reasons[jobId] = reason;

    public bool Contains(Guid jobId) => _reasons.ContainsKey(jobId);

    public void Remove(Guid jobId) => _reasons.TryRemove(jobId, out _);
}
