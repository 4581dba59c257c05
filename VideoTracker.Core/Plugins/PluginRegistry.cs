namespace VideoTracker.Core.Plugins;

/// <summary>Resolves plugins and tools registered in DI by id.</summary>
public sealed class PluginRegistry
{
    private readonly Dictionary<string, IVideoPlugin> _plugins;

    public PluginRegistry(IEnumerable<IVideoPlugin> plugins)
    {
        _plugins = new Dictionary<string, IVideoPlugin>(StringComparer.Ordinal);
        foreach (var plugin in plugins)
        {
            if (!_plugins.TryAdd(plugin.Id, plugin))
            {
                throw new InvalidOperationException($"Two plugins share the id '{plugin.Id}'.");
            }
        }
    }

    public IReadOnlyCollection<IVideoPlugin> Plugins => _plugins.Values;

    public IVideoPlugin? FindPlugin(string? pluginId) =>
        pluginId is not null && _plugins.TryGetValue(pluginId, out var plugin) ? plugin : null;

    public IVideoTool? FindTool(string? pluginId, string? toolId) =>
        FindPlugin(pluginId)?.Tools.FirstOrDefault(t => string.Equals(t.Manifest.Id, toolId, StringComparison.Ordinal));

    /// <summary>The tools this node can run now (a worker claims only jobs for these).</summary>
    public IReadOnlyList<ToolKey> AvailableTools() =>
        [.. _plugins.Values.SelectMany(p => p.Tools.Where(t => t.GetAvailability().Available).Select(t => new ToolKey(p.Id, t.Manifest.Id)))];

    /// <summary>A plugin is available when at least one of its tools is.</summary>
    public static ToolAvailability AvailabilityOf(IVideoPlugin plugin)
    {
        var tools = plugin.Tools.Select(t => t.GetAvailability()).ToList();
        return tools.Any(a => a.Available)
            ? ToolAvailability.Yes
            : ToolAvailability.No(tools.Select(a => a.Reason).FirstOrDefault(r => r is not null) ?? "No tool of this plugin is available.");
    }
}
