using VideoTracker.Core.Counting;

namespace VideoTracker.Core.Results;

/// <summary>
/// Streams analysed frames to <c>frames.ndjson</c> as they come and tallies the summary, so that no
/// result set is ever held in memory whole. Beside the frames it writes their sparse <see cref="FrameIndex"/>
/// and, at the end, the <see cref="DetectionSeries"/> of the chart.
/// </summary>
public sealed class FrameResultsWriter : IFrameSink, IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly FileStream _index;
    private readonly DetectionSeries _series = new();
    private long _frames;
    private readonly Utf8JsonWriter _json;
    private readonly SortedDictionary<string, int> _classes = new(StringComparer.Ordinal);
    private readonly HashSet<int> _tracks = [];
    private long _totalDetections;
    private long _interpolated;

    public FrameResultsWriter(string resultsDirectory)
    {
        Directory.CreateDirectory(resultsDirectory);
        ResultsDirectory = resultsDirectory;
        _stream = new FileStream(ResultFiles.FramesPath(resultsDirectory), FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { SkipValidation = true });
        _index = new FileStream(ResultFiles.FrameIndexPath(resultsDirectory), FileMode.Create, FileAccess.Write, FileShare.Read, 4096);
    }

    public string ResultsDirectory { get; }

    /// <summary>Frames written so far: one line each.</summary>
    public int FramesWritten { get; private set; }

    /// <summary>Appends one line to the buffered file; the FileStream flushes its own buffer as it fills.</summary>
    public ValueTask WriteAsync(FrameDetections frame, CancellationToken cancellationToken)
    {
        if (_frames % FrameIndex.Every == 0)
        {
            FrameIndex.Write(_index, new FrameIndex.Entry(_stream.Position, _frames, frame.TimestampMs));
        }

        _frames++;
        _series.Add(frame.TimestampMs, frame.Detections);
        WriteFrame(_json, frame);
        _json.Flush();
        _json.Reset();
        _stream.WriteByte((byte)'\n');
        FramesWritten++;
        foreach (var d in frame.Detections)
        {
            _totalDetections++;
            if (d.Interpolated)
            {
                _interpolated++;
            }

            _classes[d.ClassName] = _classes.GetValueOrDefault(d.ClassName) + 1;
            if (d.TrackId is { } id)
            {
                _tracks.Add(id);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Flushes the frames and writes <c>summary.json</c>. Returns the summary as written.</summary>
    public Task<ResultSummary> CompleteAsync(ToolRunSummary run, CancellationToken cancellationToken) => CompleteAsync(run, null, cancellationToken);

    /// <summary>As <see cref="CompleteAsync(ToolRunSummary, CancellationToken)"/>, with the zone counts of a counting job.</summary>
    public async Task<ResultSummary> CompleteAsync(ToolRunSummary run, IReadOnlyDictionary<string, ZoneCounts>? counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _index.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _series.SaveAsync(ResultsDirectory, cancellationToken).ConfigureAwait(false);
        var summary = new ResultSummary(
            run.TotalFrames,
            run.ProcessedFrames,
            _totalDetections,
            _interpolated,
            new Dictionary<string, int>(_classes, StringComparer.Ordinal),
            _tracks.Count == 0 ? null : _tracks.Count,
            run.HeaderFrameCount,
            run.DecodingEndedEarly,
            run.AnnotatedVideo,
            SummaryExtra.Of(run),
            counts);
        await using var file = File.Create(ResultFiles.SummaryPath(ResultsDirectory));
        await JsonSerializer.SerializeAsync(file, summary, ResultJson.Options, cancellationToken).ConfigureAwait(false);
        return summary;
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        await _index.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The one place that decides how a frame looks in JSON.</summary>
    public static void WriteFrame(Utf8JsonWriter json, FrameDetections frame)
    {
        json.WriteStartObject();
        json.WriteNumber("frame_index", frame.FrameIndex);
        json.WriteNumber("timestamp_ms", frame.TimestampMs);
        json.WriteStartArray("detections");
        foreach (var d in frame.Detections)
        {
            json.WriteStartObject();
            json.WriteStartArray("xyxy");
            json.WriteNumberValue(Math.Round(d.X1, 2));
            json.WriteNumberValue(Math.Round(d.Y1, 2));
            json.WriteNumberValue(Math.Round(d.X2, 2));
            json.WriteNumberValue(Math.Round(d.Y2, 2));
            json.WriteEndArray();
            json.WriteNumber("confidence", Math.Round(d.Confidence, 4));
            json.WriteNumber("class_id", d.ClassId);
            json.WriteString("class_name", d.ClassName);
            if (d.TrackId is { } track)
            {
                json.WriteNumber("track_id", track);
            }
            else
            {
                json.WriteNull("track_id");
            }

            if (d.Interpolated)
            {
                json.WriteBoolean("interpolated", true);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
