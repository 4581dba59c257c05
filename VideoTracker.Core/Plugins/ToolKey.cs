namespace VideoTracker.Core.Plugins;

/// <summary>
/// A tool by its plugin's id and its own. For people and messages it is <c>plugin/tool</c> (<see cref="ToString"/>); the
/// claim compares the two ids as columns, and the <c>nodes</c> table keeps the pair as <see cref="ToStored"/> writes it,
/// with a separator no id holds, so plugin <c>a/b</c> with tool <c>c</c> is never plugin <c>a</c> with tool <c>b/c</c>.
/// </summary>
public readonly record struct ToolKey(string PluginId, string ToolId)
{
    /// <summary>The ASCII unit separator: a control character, which no plugin or tool id holds.</summary>
    private const char StoredSeparator = '\u001F';

    public override string ToString() => $"{PluginId}/{ToolId}";

    /// <summary>The pair as one string for the <c>nodes</c> row; <see cref="FromStored"/> reads it back.</summary>
    public string ToStored() => $"{PluginId}{StoredSeparator}{ToolId}";

    /// <summary>The pair <see cref="ToStored"/> wrote; null for anything else (such as the <c>plugin/tool</c> of an older node's row, rewritten at its next beat).</summary>
    public static ToolKey? FromStored(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var at = stored.IndexOf(StoredSeparator, StringComparison.Ordinal);
        return at < 0 ? null : new ToolKey(stored[..at], stored[(at + 1)..]);
    }
}
