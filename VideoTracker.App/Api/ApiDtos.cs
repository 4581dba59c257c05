using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace VideoTracker.App.Api;

// Every DTO is serialized in snake_case (see ApiJson).
public sealed record SubmitAcceptedDto(Guid JobId, string Status, int? Progress);

/// <summary>
/// <c>POST /v1/jobs/{id}/rerun</c>: what to change. A missing plugin, tool or device keeps the job's own; options are
/// values by name (strings, numbers, booleans, zones as a JSON array; null goes back to the default).
/// </summary>
public sealed record RerunJobRequest(string? PluginId, string? Tool, string? Device, Dictionary<string, JsonElement>? Options);

/// <summary>
/// A job's status: the answer of <c>GET /v1/video/status/{id}</c> and of a cancel, and the first fields of
/// <see cref="JobDetailDto"/>. <see cref="JsonRequiredAttribute"/> keeps every field required in the OpenAPI schema of
/// the derived type too, where they are not constructor parameters.
/// </summary>
public record JobStatusDto(
    [property: JsonRequired] Guid JobId,
    [property: JsonRequired] string Status,
    [property: JsonRequired] int? Progress,
    [property: JsonRequired] int? CurrentFrame,
    [property: JsonRequired] int? TotalFrames,
    [property: JsonRequired] double? Fps,
    [property: JsonRequired] double? EtaSeconds,
    [property: JsonRequired] int? QueuePosition,
    [property: JsonRequired] string? WaitingReason,
    [property: JsonRequired] string? Error,
    [property: JsonRequired] int Attempts,
    [property: JsonRequired] DateTime CreatedAt,
    [property: JsonRequired] DateTime? StartedAt,
    [property: JsonRequired] DateTime UpdatedAt,
    [property: JsonRequired] DateTime? CompletedAt)
{
    public static JobStatusDto From(JobView view) => From(view.StatusSnapshot());

    public static JobStatusDto From(JobStatusSnapshot s) => new(
        s.JobId, s.Status.ToWire(), s.Progress, s.CurrentFrame, s.TotalFrames, s.Fps, s.EtaSeconds,
        s.QueuePosition, s.WaitingReason, s.Error, s.Attempts, s.CreatedAt, s.StartedAt, s.UpdatedAt, s.CompletedAt);
}

/// <summary>
/// A job as <c>GET /v1/jobs</c> lists it: its status fields, then what was asked and what came out. Each own property
/// has <see cref="JsonPropertyOrderAttribute"/> 1 so that JSON writes it after the status fields (by default a
/// derived type's own properties come first).
/// </summary>
public sealed record JobDetailDto : JobStatusDto
{
    [SetsRequiredMembers] // the status fields come from the copy, the rest from the job
    private JobDetailDto(JobStatusDto status, VideoJob job, JsonElement options, JobResultsDto? results)
        : base(status)
    {
        PluginId = job.PluginId;
        Tool = job.Tool;
        Device = job.Device;
        Options = options;
        FileName = job.OriginalFileName;
        FileSizeBytes = job.FileSizeBytes;
        Worker = job.Worker;
        Owner = job.Owner;
        Results = results;
    }

    [JsonPropertyOrder(1)] public required string PluginId { get; init; }

    [JsonPropertyOrder(1)] public required string Tool { get; init; }

    [JsonPropertyOrder(1)] public required string Device { get; init; }

    [JsonPropertyOrder(1)] public required JsonElement Options { get; init; }

    [JsonPropertyOrder(1)] public required string FileName { get; init; }

    [JsonPropertyOrder(1)] public required long FileSizeBytes { get; init; }

    [JsonPropertyOrder(1)] public required string? Worker { get; init; }

    [JsonPropertyOrder(1)] public required string? Owner { get; init; }

    [JsonPropertyOrder(1)] public required JobResultsDto? Results { get; init; }

    /// <param name="view">The job.</param>
    /// <param name="results">Its results once it has completed (see <see cref="JobResultsDto.ForAsync"/>), else null.</param>
    public static JobDetailDto From(JobView view, JobResultsDto? results)
    {
        var job = view.Job;
        using var options = JsonDocument.Parse(string.IsNullOrWhiteSpace(job.OptionsJson) ? "{}" : job.OptionsJson);
        return new JobDetailDto(From(view), job, options.RootElement.Clone(), results);
    }
}

public sealed record JobListDto(IReadOnlyList<JobDetailDto> Jobs, int Count);

public sealed record ToolInputDto(string Name, string Type, string Title, string Description, object? Default, double? Minimum, double? Maximum, bool Required)
{
    public static ToolInputDto From(ToolInput input) => new(
        input.Name,
        input.Type switch
        {
            ToolInputType.Number => "number",
            ToolInputType.WholeNumber => "integer",
            ToolInputType.Boolean => "boolean",
            _ => "string",
        },
        input.Title, input.Description, input.Default, input.Minimum, input.Maximum, input.Required);
}

public sealed record ToolDto(string Id, string Title, string Description, IReadOnlyList<string> InputTypes, bool Available, string? Reason, IReadOnlyList<ToolInputDto> Inputs)
{
    public static ToolDto From(IVideoTool tool)
    {
        var availability = tool.GetAvailability();
        var manifest = tool.Manifest;
        return new ToolDto(manifest.Id, manifest.Title, manifest.Description, manifest.InputTypes, availability.Available, availability.Reason,
            [.. manifest.Inputs.Select(ToolInputDto.From)]);
    }
}

/// <summary>
/// A plugin as listed by <c>GET /v1/plugins</c>. <c>name</c> repeats the id because ForgeSyte clients use
/// <c>name</c> as the plugin id; <c>title</c> is the human label.
/// </summary>
public sealed record PluginDto(string Id, string Name, string Title, string Version, string Description, bool Available, string? Reason, IReadOnlyList<ToolDto> Tools)
{
    public static PluginDto From(IVideoPlugin plugin)
    {
        var availability = PluginRegistry.AvailabilityOf(plugin);
        return new PluginDto(
            plugin.Id, plugin.Id, plugin.Title, plugin.Version, plugin.Description, availability.Available, availability.Reason,
            [.. plugin.Tools.Select(ToolDto.From)]);
    }
}

public sealed record PluginsDto(IReadOnlyList<PluginDto> Plugins, IReadOnlyList<string> Devices);
