namespace VideoTracker.Core.Plugins;

/// <summary>
/// A tool by its plugin's id and its own. Where one string must name it (the <c>nodes</c> table, messages) it is
/// <c>plugin/tool</c>, written only by <see cref="ToString"/>; the claim compares the two ids as columns.
/// </summary>
public readonly record struct ToolKey(string PluginId, string ToolId)
{
    public override string ToString() => $"{PluginId}/{ToolId}";
}
