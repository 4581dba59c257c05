using System.Runtime.CompilerServices;
using System.Text;

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

    /// <summary>
    /// The raw JSON of each analysed frame, in order, skipping <paramref name="offset"/> and stopping after <paramref name="limit"/>.
    /// The frame index takes the read to within <see cref="FrameIndex.Every"/> frames of the offset.
    /// </summary>
    public static async IAsyncEnumerable<string> ReadFrameLinesAsync(
        string resultsDirectory, int offset = 0, int? limit = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = offset > 0 ? FrameIndex.FindLast(resultsDirectory, e => e.Ordinal <= offset) : FrameIndex.Start;
        var index = start.Ordinal;
        var returned = 0;
        await foreach (var line in ReadLinesFromAsync(resultsDirectory, start.ByteOffset, cancellationToken).ConfigureAwait(false))
        {
            if (index++ < offset)
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

    /// <summary>
    /// The raw JSON of each analysed frame with <paramref name="fromMs"/> &lt;= timestamp_ms &lt; <paramref name="toMs"/>,
    /// at most <paramref name="limit"/> of them. The frame index takes the read to within <see cref="FrameIndex.Every"/>
    /// frames of the first one, so the cost follows the window, not its place in the clip.
    /// </summary>
    public static async IAsyncEnumerable<string> ReadFrameLinesBetweenAsync(
        string resultsDirectory, double fromMs, double? toMs, int? limit = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = FrameIndex.FindLast(resultsDirectory, e => e.TimestampMs <= fromMs);
        var returned = 0;
        await foreach (var line in ReadLinesFromAsync(resultsDirectory, start.ByteOffset, cancellationToken).ConfigureAwait(false))
        {
            var timestamp = TimestampOf(line);
            if (timestamp < fromMs)
            {
                continue;
            }

            if (timestamp >= toMs || (limit is { } max && returned >= max))
            {
                yield break;
            }

            returned++;
            yield return line;
        }
    }

    /// <summary>
    /// The timestamp_ms of the last analysed frame, or null when there is none. The frame index takes the read to within
    /// <see cref="FrameIndex.Every"/> frames of the end, so it costs the same for any length of clip.
    /// </summary>
    public static async Task<double?> LastFrameTimestampAsync(string resultsDirectory, CancellationToken cancellationToken)
    {
        var start = FrameIndex.FindLast(resultsDirectory, _ => true);
        string? last = null;
        await foreach (var line in ReadLinesFromAsync(resultsDirectory, start.ByteOffset, cancellationToken).ConfigureAwait(false))
        {
            last = line;
        }

        return last is null ? null : TimestampOf(last);
    }

    /// <summary>The non-empty lines of frames.ndjson from a byte offset (the start of a line).</summary>
    private static async IAsyncEnumerable<string> ReadLinesFromAsync(
        string resultsDirectory, long byteOffset, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = new FileStream(ResultFiles.FramesPath(resultsDirectory), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            stream.Seek(byteOffset, SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8, false, 1 << 16);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length > 0)
                {
                    yield return line;
                }
            }
        }
    }

    /// <summary>A frame line's timestamp_ms, read without parsing the detections (the writer puts it second).</summary>
    internal static double TimestampOf(string line)
    {
        const string Key = "\"timestamp_ms\":";
        var at = line.IndexOf(Key, StringComparison.Ordinal);
        if (at >= 0)
        {
            var from = at + Key.Length;
            var end = line.IndexOfAny([',', '}'], from);
            if (end > from && double.TryParse(line.AsSpan(from, end - from), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return ParseFrame(line).TimestampMs;
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
        var detections = new List<DetectedObject>();
        foreach (var d in root.GetProperty("detections").EnumerateArray())
        {
            var xyxy = d.GetProperty("xyxy");
            var track = d.GetProperty("track_id");
            detections.Add(new DetectedObject(
                xyxy[0].GetSingle(), xyxy[1].GetSingle(), xyxy[2].GetSingle(), xyxy[3].GetSingle(),
                d.GetProperty("confidence").GetSingle(),
                d.GetProperty("class_id").GetInt32(),
                d.GetProperty("class_name").GetString() ?? string.Empty,
                track.ValueKind == JsonValueKind.Number ? track.GetInt32() : null,
                d.TryGetProperty("interpolated", out var interpolated) && interpolated.ValueKind == JsonValueKind.True));
        }

        return new FrameDetections(root.GetProperty("frame_index").GetInt32(), root.GetProperty("timestamp_ms").GetDouble(), detections);
    }

    /// <summary>
    /// Streams <c>{"job_id", "plugin_id", "tool", "status", "created_at", "updated_at", "results": {"frames": [...], "summary": {...}}}</c>
    /// straight from the results files. The frames are copied line by line as raw JSON values; nothing is built in memory.
    /// </summary>
    public static async Task WriteDocumentAsync(
        Stream output, Guid jobId, string pluginId, string tool, string status, DateTime createdAt, DateTime updatedAt, string resultsDirectory,
        int frameOffset, int? frameLimit, CancellationToken cancellationToken, TimeWindow? window = null)
    {
        var json = new Utf8JsonWriter(output);
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteString("job_id", jobId);
            json.WriteString("plugin_id", pluginId);
            json.WriteString("tool", tool);
            json.WriteString("status", status);
            json.WriteString("created_at", createdAt);
            json.WriteString("updated_at", updatedAt);
            json.WriteStartObject("results");
            json.WriteStartArray("frames");
            var count = 0;
            var lines = window is { } w
                ? ReadFrameLinesBetweenAsync(resultsDirectory, w.FromMs, w.ToMs, frameLimit, cancellationToken)
                : ReadFrameLinesAsync(resultsDirectory, frameOffset, frameLimit, cancellationToken);
            await foreach (var line in lines.ConfigureAwait(false))
            {
                json.WriteRawValue(line, skipInputValidation: true); // written by FrameResultsWriter
                count++;
                if (json.BytesPending >= FlushAt)
                {
                    await json.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            json.WriteEndArray();
            var summary = await File.ReadAllBytesAsync(ResultFiles.SummaryPath(resultsDirectory), cancellationToken).ConfigureAwait(false);
            json.WritePropertyName("summary");
            json.WriteRawValue(summary, skipInputValidation: true);
            json.WriteNumber("frame_offset", frameOffset);
            WriteNumberOrNull(json, "frame_limit", frameLimit);
            json.WriteNumber("frames_returned", count);
            if (window is { } tw)
            {
                json.WriteNumber("from_ms", tw.FromMs);
                WriteNumberOrNull(json, "to_ms", tw.ToMs);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private const int FlushAt = 1 << 16;

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}

/// <summary>Frames with <see cref="FromMs"/> &lt;= timestamp_ms &lt; <see cref="ToMs"/> (no end when null).</summary>
public readonly record struct TimeWindow(double FromMs, double? ToMs);
