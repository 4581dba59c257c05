using VideoTracker.Core.Nodes;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// Why a pending job is not taken: no running node claims its tool. A worker claims only jobs for the tools it can
/// run (<see cref="NodeCapabilities"/>), so such a job would wait without a word. The tools that can be run now are
/// this node's own and, on PostgreSQL, those of every node seen within <see cref="NodeStore.SeenWithin"/>.
/// </summary>
public sealed class JobWaitingReasons(
    NodeStore nodes, NodeCapabilities here, PluginRegistry plugins, TimeProvider time, IOptions<DatabaseOptions> database, IOptions<JobsOptions> options)
{
    /// <summary>The tools some running node claims now; <see cref="RunnableTools.ReasonFor"/> says what a job waits for.</summary>
    public async Task<RunnableTools> NowAsync(CancellationToken cancellationToken)
    {
        var window = NodeStore.SeenWithin(options.Value);
        var keys = here.ClaimableTools().Select(t => t.ToString()).ToHashSet(StringComparer.Ordinal);
        if (database.Value.Kind == DatabaseProvider.Postgres)
        {
            keys.UnionWith(await nodes.ToolsSeenSinceAsync(time.GetUtcNow().UtcDateTime - window, cancellationToken).ConfigureAwait(false));
        }

        return new RunnableTools(keys, window, plugins);
    }
}

/// <summary>The tools that running nodes claim (as <see cref="ToolKey.ToString"/> writes them), at one moment.</summary>
public sealed class RunnableTools(IReadOnlySet<string> keys, TimeSpan window, PluginRegistry plugins)
{
    /// <summary>Null unless <paramref name="job"/> is pending for a tool that no running node claims; then why, for people.</summary>
    public string? ReasonFor(VideoJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Status != JobStatus.Pending || keys.Contains(new ToolKey(job.PluginId, job.Tool).ToString()))
        {
            return null;
        }

        if (keys.Count == 0)
        {
            return $"Waiting for a worker: no running node takes jobs now (none seen within the last {window.TotalSeconds:0} s). "
                + "Start a worker node, or see its /health/ready for what it lacks.";
        }

        return $"Waiting for a worker that can run {TitleOf(job)}: no running node has it (is the model configured on a worker? "
            + "Its /health/ready says what it lacks).";
    }

    private string TitleOf(VideoJob job) =>
        plugins.FindPlugin(job.PluginId) is { } plugin && plugins.FindTool(job.PluginId, job.Tool) is { } tool
            ? $"{tool.Manifest.Title} ({plugin.Title})"
            : new ToolKey(job.PluginId, job.Tool).ToString();
}
