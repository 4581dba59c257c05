using Microsoft.Extensions.DependencyInjection;
using VideoTracker.Core.Jobs;

namespace VideoTracker.Core.Export;

/// <summary>A completed job's results as an exporter sees them.</summary>
/// <param name="Job">The job row.</param>
/// <param name="Directory">The results folder (frames, summary, track table).</param>
/// <param name="VideoPath">The original clip, for formats that record the frame size; it may be gone.</param>
public sealed record JobResults(VideoJob Job, string Directory, string VideoPath);

/// <summary>
/// One download format of <c>GET /v1/jobs/{id}/export?format=…</c>. Each format is one class registered
/// in DI; the endpoint and the job links enumerate them, so adding a format touches neither.
/// </summary>
public interface IResultExporter
{
    /// <summary>The <c>format</c> query value, lower case.</summary>
    string Format { get; }

    string ContentType { get; }

    /// <summary>The download's file name.</summary>
    string FileName(Guid jobId);

    /// <summary>Streams the export, reading the results files as it goes.</summary>
    Task WriteAsync(JobResults results, Stream output, CancellationToken cancellationToken);
}

/// <summary>The registered exporters, found by format name.</summary>
public sealed class ResultExporters(IEnumerable<IResultExporter> exporters)
{
    private readonly IResultExporter[] _all = [.. exporters];

    /// <summary>The exporters in registration order (json first).</summary>
    public IReadOnlyList<IResultExporter> All => _all;

    /// <summary>Format names in registration order (json first).</summary>
    public IReadOnlyList<string> Formats => [.. _all.Select(e => e.Format)];

    /// <summary>The exporter of <paramref name="format"/> (json when empty), or null.</summary>
    public IResultExporter? Find(string? format)
    {
        var name = string.IsNullOrWhiteSpace(format) ? JsonExporter.Name : format.Trim();
        return _all.FirstOrDefault(e => string.Equals(e.Format, name, StringComparison.OrdinalIgnoreCase));
    }
}

public static class ExportServiceCollectionExtensions
{
    /// <summary>The export formats, one line each.</summary>
    public static IServiceCollection AddResultExporters(this IServiceCollection services)
    {
        services.AddSingleton<IResultExporter, JsonExporter>();
        services.AddSingleton<IResultExporter, CsvExporter>();
        services.AddSingleton<IResultExporter, MotExporter>();
        services.AddSingleton<IResultExporter, CocoExporter>();
        services.AddSingleton<IResultExporter, CvatExporter>();
        services.AddSingleton<ResultExporters>();
        services.AddSingleton<ResultBundle>();
        return services;
    }
}
