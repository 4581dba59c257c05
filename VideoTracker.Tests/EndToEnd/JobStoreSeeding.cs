namespace VideoTracker.Tests.EndToEnd;

/// <summary>Jobs written straight into the store, as the worker would leave them, for pages that only list or show them.</summary>
public static class JobStoreSeeding
{
    /// <summary>Adds a fixed-box job in <paramref name="status"/> (a running one under a live lease); returns its id.</summary>
    public static async Task<Guid> AddJobAsync(this JobStore store, JobStatus status, string fileName)
    {
        ArgumentNullException.ThrowIfNull(store);
        var id = Guid.NewGuid();
        await store.AddAsync(new VideoJob
        {
            JobId = id,
            PluginId = FixedBoxPlugin.PluginId,
            Tool = FixedBoxPlugin.ToolId,
            Status = status,
            Progress = status == JobStatus.Completed ? 100 : 40,
            OriginalFileName = fileName,
            StoredFilePath = "input.avi",
            CreatedAt = store.UtcNow,
            UpdatedAt = store.UtcNow,
            LeaseOwner = status == JobStatus.Running ? "a-live-worker" : null,
            LeaseExpiresAt = status == JobStatus.Running ? store.UtcNow.AddHours(1) : null,
        }, CancellationToken.None);
        return id;
    }
}
