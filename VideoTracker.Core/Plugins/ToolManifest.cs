namespace VideoTracker.Core.Plugins;

public enum ToolInputType
{
    Number,
    WholeNumber,
    Boolean,
    Text,
}

/// <summary>A typed option of a tool, with its default and its allowed range.</summary>
public sealed record ToolInput(
    string Name,
    ToolInputType Type,
    string Title,
    string Description,
    object? Default = null,
    double? Minimum = null,
    double? Maximum = null,
    bool Required = false);

/// <summary>What a tool is and takes, as listed by <c>GET /v1/plugins</c>.</summary>
public sealed record ToolManifest(
    string Id,
    string Title,
    string Description,
    IReadOnlyList<string> InputTypes,
    IReadOnlyList<ToolInput> Inputs)
{
    public const string VideoInput = "video";

    public bool AcceptsVideo => InputTypes.Contains(VideoInput, StringComparer.Ordinal);
}

/// <summary>Whether a tool can run on this server, and if not, why.</summary>
public sealed record ToolAvailability(bool Available, string? Reason = null)
{
    public static ToolAvailability Yes { get; } = new(true);

    public static ToolAvailability No(string reason) => new(false, reason);
}
