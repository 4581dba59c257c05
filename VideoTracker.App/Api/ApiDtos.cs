using System.Text.Json;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Plugins;

namespace VideoTracker.App.Api;

// Every DTO is serialized in snake_case (see ApiJson).
public sealed record SubmitAcceptedDto(Guid JobId, string Status, int? Progress);

public sealed record JobStatusDto(
    Guid JobId,
    string Status,
    int? Progress,
    int? CurrentFrame,
    int? TotalFrames,
    double? Fps,
    double? EtaSeconds,
    int? QueuePosition,
    string? Error,
    int Attempts,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime UpdatedAt,
    DateTime? CompletedAt)
{
    public static JobStatusDto From(JobStatusSnapshot s) => new(
        s.JobId, s.Status.ToWire(), s.Progress, s.CurrentFrame, s.TotalFrames, s.Fps, s.EtaSeconds,
        s.QueuePosition, s.Error, s.Attempts, s.CreatedAt, s.StartedAt, s.UpdatedAt, s.CompletedAt);

    public static JobStatusDto From(JobView view) => new(
        view.JobId, view.Status.ToWire(), view.Progress, view.CurrentFrame, view.TotalFrames, view.Fps, view.EtaSeconds,
        view.QueuePosition, view.Job.Error, view.Job.Attempts, view.Job.CreatedAt, view.Job.StartedAt, view.Job.UpdatedAt, view.Job.CompletedAt);
}

public sealed record JobDetailDto(
    Guid JobId,
    string Status,
    int? Progress,
    int? CurrentFrame,
    int? TotalFrames,
    double? Fps,
    double? EtaSeconds,
    int? QueuePosition,
    string? Error,
    int Attempts,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime UpdatedAt,
    DateTime? CompletedAt,
    string PluginId,
    string Tool,
    string Device,
    JsonElement Options,
    string FileName,
    long FileSizeBytes,
    string? Worker,
    string? Owner,
    JobResultsDto? Results)
{
    /// <param name="view">The job.</param>
    /// <param name="results">Its results once it has completed (see <see cref="JobResultsDto.ForAsync"/>), else null.</param>
    public static JobDetailDto From(JobView view, JobResultsDto? results)
    {
        var s = JobStatusDto.From(view);
        var job = view.Job;
        using var options = JsonDocument.Parse(string.IsNullOrWhiteSpace(job.OptionsJson) ? "{}" : job.OptionsJson);
        return new JobDetailDto(
            s.JobId, s.Status, s.Progress, s.CurrentFrame, s.TotalFrames, s.Fps, s.EtaSeconds, s.QueuePosition, s.Error, s.Attempts,
            s.CreatedAt, s.StartedAt, s.UpdatedAt, s.CompletedAt,
            job.PluginId, job.Tool, job.Device, options.RootElement.Clone(), job.OriginalFileName, job.FileSizeBytes, job.Worker, job.Owner, results);
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
