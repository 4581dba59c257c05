namespace VideoTracker.Core.Export;

/// <summary>
/// COCO detection JSON: one <c>image</c> per analysed frame (id = frame index + 1), one <c>annotation</c>
/// per box with <c>bbox</c> [x, y, width, height], its score and <c>attributes.track_id</c> (how CVAT and
/// Datumaro read tracks from COCO), and the <c>categories</c> seen (id = COCO class id + 1). <c>attributes.keyframe</c>
/// is false for a box the tracker interpolated, true for a detected one, as CVAT marks them.
/// </summary>
public sealed class CocoExporter() : ResultExporter("coco", "application/json; charset=utf-8", "coco", "json")
{
    protected override async Task WriteBodyAsync(JobResults results, Stream output, CancellationToken cancellationToken)
    {
        var info = VideoProbe.TryProbe(results.VideoPath, out _);
        var categories = new SortedDictionary<int, string>();
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteStartObject("info");
        json.WriteString("description", $"VideoTracker job {results.Job.JobId} ({results.Job.PluginId}/{results.Job.Tool})");
        json.WriteString("video", Path.GetFileName(results.VideoPath));
        json.WriteEndObject();

        json.WriteStartArray("images");
        await foreach (var frame in ResultsReader.ReadFramesAsync(results.Directory, cancellationToken).ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteNumber("id", frame.FrameIndex + 1);
            json.WriteString("file_name", $"frame_{frame.FrameIndex:D6}.jpg");
            json.WriteNumber("width", info?.Width ?? 0);
            json.WriteNumber("height", info?.Height ?? 0);
            json.WriteNumber("frame_index", frame.FrameIndex);
            json.WriteNumber("timestamp_ms", frame.TimestampMs);
            json.WriteEndObject();
            await FlushIfLargeAsync(json, cancellationToken).ConfigureAwait(false);
        }

        json.WriteEndArray();
        json.WriteStartArray("annotations");
        var id = 0;
        await foreach (var frame in ResultsReader.ReadFramesAsync(results.Directory, cancellationToken).ConfigureAwait(false))
        {
            foreach (var d in frame.Detections)
            {
                categories[d.ClassId] = d.ClassName;
                var w = Math.Round(d.X2 - d.X1, 2);
                var h = Math.Round(d.Y2 - d.Y1, 2);
                json.WriteStartObject();
                json.WriteNumber("id", ++id);
                json.WriteNumber("image_id", frame.FrameIndex + 1);
                json.WriteNumber("category_id", d.ClassId + 1);
                json.WriteStartArray("bbox");
                json.WriteNumberValue(Math.Round(d.X1, 2));
                json.WriteNumberValue(Math.Round(d.Y1, 2));
                json.WriteNumberValue(w);
                json.WriteNumberValue(h);
                json.WriteEndArray();
                json.WriteNumber("area", Math.Round(w * h, 2));
                json.WriteNumber("iscrowd", 0);
                json.WriteNumber("score", d.Confidence);
                json.WriteStartObject("attributes");
                if (d.TrackId is { } track)
                {
                    json.WriteNumber("track_id", track);
                }

                json.WriteBoolean("keyframe", !d.Interpolated);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            await FlushIfLargeAsync(json, cancellationToken).ConfigureAwait(false);
        }

        json.WriteEndArray();
        json.WriteStartArray("categories");
        foreach (var (classId, name) in categories)
        {
            json.WriteStartObject();
            json.WriteNumber("id", classId + 1);
            json.WriteString("name", name);
            json.WriteString("supercategory", string.Empty);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask FlushIfLargeAsync(Utf8JsonWriter json, CancellationToken cancellationToken)
    {
        if (json.BytesPending > 1 << 16)
        {
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
