using System.Text;
using VideoTracker.Core.Export;

namespace VideoTracker.Core.Counting;

/// <summary>Reads a completed job's <c>events.json</c> and <c>heatmap.png</c>.</summary>
public static class EventLogFile
{
    public const string CsvHeader = "frame_index,timestamp_ms,track_id,class_name,zone,type,dwell_ms";

    public static string EventsPath(string resultsDirectory) => Path.Combine(resultsDirectory, CountingSink.EventsFileName);

    public static string HeatmapPath(string resultsDirectory) => Path.Combine(resultsDirectory, HeatmapBuilder.FileName);

    public static async Task<EventLog?> ReadAsync(string resultsDirectory, CancellationToken cancellationToken)
    {
        var path = EventsPath(resultsDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<EventLog>(file, ResultJson.Options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The events as CSV, one a line; text fields quoted when needed and never read as formulas.</summary>
    public static async Task WriteCsvAsync(Stream output, EventLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteLineAsync(CsvHeader).ConfigureAwait(false);
            foreach (var e in log.Events)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await writer.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{e.FrameIndex},{e.TimestampMs},{e.TrackId},{CsvField.Text(e.ClassName)},{CsvField.Text(e.Zone)},{e.Type},{e.DwellMs}")).ConfigureAwait(false);
            }
        }
    }
}
