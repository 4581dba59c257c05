using VideoTracker.Core.Nodes;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// Why a pending job is not taken: no running node claims its tool. A worker claims only jobs for the tools it can
/// run (<see cref="NodeCapabilities"/>), so such a job would wait without a word. The tools that can be run now are
/// this node's own and, on PostgreSQL, those of every node seen within <see cref="NodeStore.SeenWithin"/>. Nodes write
/// their rows once a beat (<c>Jobs:SweepSeconds</c>), so what was read is kept for one beat, not read again on every poll.
/// </summary>
public sealed class JobWaitingReasons(
    NodeStore nodes, NodeCapabilities here, PluginRegistry plugins, TimeProvider time, IOptions<DatabaseOptions> database, IOptions<JobsOptions> options)
{
    private (RunnableTools Tools, DateTimeOffset ReadAt)? _last;

    /// <summary>The tools some running node claims now (as read within the last beat); <see cref="RunnableTools.ReasonFor(VideoJob)"/> says what a job waits for.</summary>
    public async Task<RunnableTools> NowAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_last is { } last && now - last.ReadAt < TimeSpan.FromSeconds(options.Value.SweepSeconds) && now >= last.ReadAt)
        {
            return last.Tools;
        }

        var tools = await ReadAsync(now, cancellationToken).ConfigureAwait(false);
        _last = (tools, now);
        return tools;
    }

    private async Task<RunnableTools> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var window = NodeStore.SeenWithin(options.Value);
        var keys = here.ClaimableTools().ToHashSet();
        if (database.Value.Kind == DatabaseProvider.Postgres)
        {
            keys.UnionWith(await nodes.ToolsSeenSinceAsync(now.UtcDateTime - window, cancellationToken).ConfigureAwait(false));
        }

        return new RunnableTools(keys, window, plugins);
    }
}

/// <summary>The tools that running nodes claim, at one moment.</summary>
public sealed class RunnableTools(IReadOnlySet<ToolKey> keys, TimeSpan window, PluginRegistry plugins)
{
    /// <summary>Null unless <paramref name="job"/> is pending for a tool that no running node claims; then why, for people.</summary>
    public string? ReasonFor(VideoJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return ReasonFor(job.Status, new ToolKey(job.PluginId, job.Tool));
    }

    /// <summary>Null unless a job in <paramref name="status"/> is pending for a <paramref name="tool"/> that no running node claims; then why.</summary>
    public string? ReasonFor(JobStatus status, ToolKey tool)
    {
        if (status != JobStatus.Pending || keys.Contains(tool))
        {
            return null;
        }

        if (keys.Count == 0)
        {
            return $"Waiting for a worker: no running node takes jobs now (none seen within the last {window.TotalSeconds:0} s). "
                + "Start a worker node, or see its /health/ready for what it lacks.";
        }

        return $"Waiting for a worker that can run {TitleOf(tool)}: no running node has it (is the model configured on a worker? "
            + "Its /health/ready says what it lacks).";
    }

    private string TitleOf(ToolKey key) =>
        plugins.FindPlugin(key.PluginId) is { } plugin && plugins.FindTool(key.PluginId, key.ToolId) is { } tool
            ? $"{tool.Manifest.Title} ({plugin.Title})"
            : key.ToString();
}
