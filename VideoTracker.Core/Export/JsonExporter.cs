using VideoTracker.Core.Jobs;

namespace VideoTracker.Core.Export;

/// <summary>The whole results document: <c>{"job_id", …, "results": {"frames", "summary"}}</c>.</summary>
public sealed class JsonExporter() : ResultExporter(Name, "application/json; charset=utf-8", "results", "json")
{
    public const string Name = "json";

    protected override Task WriteBodyAsync(JobResults results, Stream output, CancellationToken cancellationToken)
    {
        var job = results.Job;
        return ResultsReader.WriteDocumentAsync(output, job.JobId, job.PluginId, job.Tool, job.Status.ToWire(), job.CreatedAt, job.UpdatedAt, results.Directory, 0, null, cancellationToken);
    }
}
