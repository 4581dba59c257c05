namespace VideoTracker.App.Api;

/// <summary>
/// <c>GET /v1/plugins/{id}/manifest</c>, in the shape ForgeSyte clients read: the plugin's tools with their
/// <c>input_types</c>, and each tool's options as an object keyed by option name.
/// </summary>
public sealed record PluginManifestDto(string Id, string Name, string Title, string Version, string Description, IReadOnlyList<ManifestToolDto> Tools)
{
    public static PluginManifestDto From(IVideoPlugin plugin) =>
        new(plugin.Id, plugin.Id, plugin.Title, plugin.Version, plugin.Description, [.. plugin.Tools.Select(ManifestToolDto.From)]);
}

public sealed record ManifestToolDto(
    string Id,
    string Title,
    string Description,
    IReadOnlyList<string> InputTypes,
    bool Available,
    string? Reason,
    IReadOnlyDictionary<string, ManifestInputDto> Inputs,
    IReadOnlyDictionary<string, ManifestOutputDto> Outputs)
{
    /// <summary>Every tool writes the same result document: analysed frames and a summary.</summary>
    public static IReadOnlyDictionary<string, ManifestOutputDto> ResultOutputs { get; } = new Dictionary<string, ManifestOutputDto>(StringComparer.Ordinal)
    {
        ["frames"] = new("array", "One entry per analysed frame: frame_index, timestamp_ms and detections (xyxy, confidence, class_id, class_name, track_id). Paged from /v1/video/results/{job_id}."),
        ["summary"] = new("object", "total_frames, processed_frames, total_detections (every box, interpolated ones included), interpolated_detections (how many of them a tracker interpolated), classes (boxes per class) and unique_tracks; in the job's results once it completes."),
    };

    public static ManifestToolDto From(IVideoTool tool)
    {
        var dto = ToolDto.From(tool);
        return new ManifestToolDto(
            dto.Id, dto.Title, dto.Description, dto.InputTypes, dto.Available, dto.Reason,
            dto.Inputs.ToDictionary(i => i.Name, ManifestInputDto.From, StringComparer.Ordinal),
            ResultOutputs);
    }
}

public sealed record ManifestInputDto(string Type, string Title, string Description, object? Default, double? Minimum, double? Maximum, bool Required)
{
    public static ManifestInputDto From(ToolInputDto input) =>
        new(input.Type, input.Title, input.Description, input.Default, input.Minimum, input.Maximum, input.Required);
}

public sealed record ManifestOutputDto(string Type, string Description);
