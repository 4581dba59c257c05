using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using VideoTracker.Core.Plugins;

namespace VideoTracker.Core.Results;

/// <summary>Reads a completed job's results folder without loading it whole.</summary>
public static class ResultsReader
{
    public static async Task<ResultSummary> ReadSummaryAsync(string resultsDirectory, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(ResultFiles.SummaryPath(resultsDirectory));
        return await JsonSerializer.DeserializeAsync<ResultSummary>(file, ResultJson.Options, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("The summary file is empty.");
    }

    /// <summary>The raw JSON of each analysed frame, in order, skipping <paramref name="offset"/> and stopping after <paramref name="limit"/>.</summary>
    public static async IAsyncEnumerable<string> ReadFrameLinesAsync(
        string resultsDirectory, int offset = 0, int? limit = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(ResultFiles.FramesPath(resultsDirectory), Encoding.UTF8, false, 1 << 16);
        var index = 0;
        var returned = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0 || index++ < offset)
            {
                continue;
            }

            if (limit is { } max && returned >= max)
            {
                yield break;
            }

            returned++;
            yield return line;
        }
    }

    /// <summary>Every analysed frame, parsed, for exports.</summary>
    public static async IAsyncEnumerable<FrameDetections> ReadFramesAsync(
        string resultsDirectory, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var line in ReadFrameLinesAsync(resultsDirectory, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return ParseFrame(line);
        }
    }

    public static FrameDetections ParseFrame(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var detections = new List<Detection>();
        foreach (var d in root.GetProperty("detections").EnumerateArray())
        {
            var xyxy = d.GetProperty("xyxy");
            var track = d.GetProperty("track_id");
            detections.Add(new Detection(
                xyxy[0].GetSingle(), xyxy[1].GetSingle(), xyxy[2].GetSingle(), xyxy[3].GetSingle(),
                d.GetProperty("confidence").GetSingle(),
                d.GetProperty("class_id").GetInt32(),
                d.GetProperty("class_name").GetString() ?? string.Empty,
                track.ValueKind == JsonValueKind.Number ? track.GetInt32() : null));
        }

        return new FrameDetections(root.GetProperty("frame_index").GetInt32(), root.GetProperty("timestamp_ms").GetDouble(), detections);
    }

    /// <summary>
    /// Streams <c>{"job_id", "plugin_id", "tool", "status", "created_at", "updated_at", "results": {"frames": [...], "summary": {...}}}</c>
    /// straight from the results files. The frames are copied line by line; nothing is built in memory.
    /// </summary>
    public static async Task WriteDocumentAsync(
        Stream output, Guid jobId, string pluginId, string tool, string status, DateTime createdAt, DateTime updatedAt, string resultsDirectory,
        int frameOffset, int? frameLimit, CancellationToken cancellationToken)
    {
        var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync($"{{\"job_id\":\"{jobId}\",\"plugin_id\":{JsonSerializer.Serialize(pluginId)},\"tool\":{JsonSerializer.Serialize(tool)},\"status\":{JsonSerializer.Serialize(status)},\"created_at\":{JsonSerializer.Serialize(createdAt)},\"updated_at\":{JsonSerializer.Serialize(updatedAt)},\"results\":{{\"frames\":[").ConfigureAwait(false);
            var first = true;
            var count = 0;
            await foreach (var line in ReadFrameLinesAsync(resultsDirectory, frameOffset, frameLimit, cancellationToken).ConfigureAwait(false))
            {
                if (!first)
                {
                    await writer.WriteAsync(',').ConfigureAwait(false);
                }

                first = false;
                count++;
                await writer.WriteAsync(line).ConfigureAwait(false);
            }

            var summary = await File.ReadAllTextAsync(ResultFiles.SummaryPath(resultsDirectory), cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync($"],\"summary\":{summary},\"frame_offset\":{frameOffset},\"frame_limit\":{(frameLimit is { } l ? l.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null")},\"frames_returned\":{count}}}}}").ConfigureAwait(false);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
