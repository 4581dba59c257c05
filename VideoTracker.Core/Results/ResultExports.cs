using System.Globalization;
using System.Text;


namespace VideoTracker.Core.Results;

/// <summary>The formats a completed job's detections can be downloaded in.</summary>
public enum ExportFormat
{
    Json,
    Csv,
    Mot,
}

/// <summary>
/// Writes a job's detections as JSON, CSV (one row a detection) or MOTChallenge text (1-based frames,
/// left/top/width/height boxes), streaming from the results files.
/// </summary>
public static class ResultExports
{
    public const string CsvHeader = "frame_index,timestamp_ms,track_id,class_name,confidence,x1,y1,x2,y2";

    public static bool TryParse(string? value, out ExportFormat format)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case null or "" or "JSON": format = ExportFormat.Json; return true;
            case "CSV": format = ExportFormat.Csv; return true;
            case "MOT": format = ExportFormat.Mot; return true;
            default: format = default; return false;
        }
    }

    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv; charset=utf-8",
        ExportFormat.Mot => "text/plain; charset=utf-8",
        _ => "application/json; charset=utf-8",
    };

    public static string FileName(Guid jobId, ExportFormat format) => format switch
    {
        ExportFormat.Csv => $"detections-{jobId:N}.csv",
        ExportFormat.Mot => $"mot-{jobId:N}.txt",
        _ => $"results-{jobId:N}.json",
    };

    public static async Task WriteCsvAsync(Stream output, string resultsDirectory, CancellationToken cancellationToken)
    {
        var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteLineAsync(CsvHeader).ConfigureAwait(false);
            await foreach (var frame in ResultsReader.ReadFramesAsync(resultsDirectory, cancellationToken).ConfigureAwait(false))
            {
                foreach (var d in frame.Detections)
                {
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{frame.FrameIndex},{frame.TimestampMs},{d.TrackId},{Csv(d.ClassName)},{d.Confidence},{d.X1},{d.Y1},{d.X2},{d.Y2}")).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>MOTChallenge: <c>frame,id,left,top,width,height,conf,-1,-1,-1</c>, frames from 1; untracked boxes get id -1.</summary>
    public static async Task WriteMotAsync(Stream output, string resultsDirectory, CancellationToken cancellationToken)
    {
        var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        await using (writer.ConfigureAwait(false))
        {
            await foreach (var frame in ResultsReader.ReadFramesAsync(resultsDirectory, cancellationToken).ConfigureAwait(false))
            {
                foreach (var d in frame.Detections)
                {
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{frame.FrameIndex + 1},{d.TrackId ?? -1},{d.X1},{d.Y1},{d.X2 - d.X1},{d.Y2 - d.Y1},{d.Confidence},-1,-1,-1")).ConfigureAwait(false);
                }
            }
        }
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
