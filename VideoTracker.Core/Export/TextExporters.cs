using System.Globalization;
using System.Text;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Results;

namespace VideoTracker.Core.Export;

/// <summary>The whole results document: <c>{"job_id", …, "results": {"frames", "summary"}}</c>.</summary>
public sealed class JsonExporter : IResultExporter
{
    public const string Name = "json";

    public string Format => Name;

    public string ContentType => "application/json; charset=utf-8";

    public string FileName(Guid jobId) => $"results-{jobId:N}.json";

    public Task WriteAsync(JobResults results, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        var job = results.Job;
        return ResultsReader.WriteDocumentAsync(output, job.JobId, job.PluginId, job.Tool, job.Status.ToWire(), job.CreatedAt, job.UpdatedAt, results.Directory, 0, null, cancellationToken);
    }
}

/// <summary>One CSV row a detection.</summary>
public sealed class CsvExporter : IResultExporter
{
    public const string Header = "frame_index,timestamp_ms,track_id,class_name,confidence,x1,y1,x2,y2";

    public string Format => "csv";

    public string ContentType => "text/csv; charset=utf-8";

    public string FileName(Guid jobId) => $"detections-{jobId:N}.csv";

    public async Task WriteAsync(JobResults results, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteLineAsync(Header).ConfigureAwait(false);
            await foreach (var frame in ResultsReader.ReadFramesAsync(results.Directory, cancellationToken).ConfigureAwait(false))
            {
                foreach (var d in frame.Detections)
                {
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{frame.FrameIndex},{frame.TimestampMs},{d.TrackId},{Csv(d.ClassName)},{d.Confidence},{d.X1},{d.Y1},{d.X2},{d.Y2}")).ConfigureAwait(false);
                }
            }
        }
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

/// <summary>MOTChallenge: <c>frame,id,left,top,width,height,conf,-1,-1,-1</c>, frames from 1; untracked boxes get id -1.</summary>
public sealed class MotExporter : IResultExporter
{
    public string Format => "mot";

    public string ContentType => "text/plain; charset=utf-8";

    public string FileName(Guid jobId) => $"mot-{jobId:N}.txt";

    public async Task WriteAsync(JobResults results, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        await using (writer.ConfigureAwait(false))
        {
            await foreach (var frame in ResultsReader.ReadFramesAsync(results.Directory, cancellationToken).ConfigureAwait(false))
            {
                foreach (var d in frame.Detections)
                {
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{frame.FrameIndex + 1},{d.TrackId ?? -1},{d.X1},{d.Y1},{d.X2 - d.X1},{d.Y2 - d.Y1},{d.Confidence},-1,-1,-1")).ConfigureAwait(false);
                }
            }
        }
    }
}
