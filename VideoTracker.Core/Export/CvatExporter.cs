using System.Text;
using System.Xml;

namespace VideoTracker.Core.Export;

/// <summary>
/// CVAT for video 1.1 XML (interpolation mode): one <c>&lt;track&gt;</c> per track id, each with a
/// key-framed <c>&lt;box&gt;</c> on every analysed frame it was seen, and a box with <c>outside="1"</c>
/// on the first analysed frame where it is missing, so CVAT neither interpolates across the gap nor
/// extends the track past its end. A box the tracker interpolated has <c>keyframe="0"</c> (CVAT's own interpolation
/// between the key frames around it gives the same linear box). A box without a track id becomes a one-frame track, as
/// CVAT exports shapes.
/// </summary>
public sealed class CvatExporter() : ResultExporter("cvat", "application/xml; charset=utf-8", "cvat", "xml")
{
    protected override async Task WriteBodyAsync(JobResults results, Stream output, CancellationToken cancellationToken)
    {
        // Tracked boxes grouped by track (frames come in order, so each track's boxes are in order too); a box without a
        // track id is its own one-frame track, after the tracked ones, and is written from a second read of the results
        // rather than held, since a long detection job has millions of them.
        var analysed = new List<int>();
        var tracks = new SortedDictionary<int, (string Label, List<CvatBox> Boxes)>();
        var labels = new SortedSet<string>(StringComparer.Ordinal);
        var untracked = 0;
        await foreach (var frame in ResultsReader.ReadFramesAsync(results.Directory, cancellationToken).ConfigureAwait(false))
        {
            analysed.Add(frame.FrameIndex);
            foreach (var d in frame.Detections)
            {
                labels.Add(d.ClassName);
                if (d.TrackId is not { } id)
                {
                    untracked++;
                    continue;
                }

                if (!tracks.TryGetValue(id, out var track))
                {
                    tracks[id] = track = (d.ClassName, []);
                }

                track.Boxes.Add(CvatBox.Of(frame.FrameIndex, d));
            }
        }

        var summary = await ResultsReader.ReadSummaryAsync(results.Directory, cancellationToken).ConfigureAwait(false);
        var info = VideoProbe.TryProbe(results.VideoPath, out _);
        var settings = new XmlWriterSettings { Async = true, Indent = true, Encoding = new UTF8Encoding(false) };
        await using var xml = XmlWriter.Create(output, settings);
        await xml.WriteStartDocumentAsync().ConfigureAwait(false);
        await xml.WriteStartElementAsync(null, "annotations", null).ConfigureAwait(false);
        await xml.WriteElementStringAsync(null, "version", null, "1.1").ConfigureAwait(false);
        await xml.WriteStartElementAsync(null, "meta", null).ConfigureAwait(false);
        await xml.WriteStartElementAsync(null, "task", null).ConfigureAwait(false);
        await xml.WriteElementStringAsync(null, "id", null, "0").ConfigureAwait(false);
        await xml.WriteElementStringAsync(null, "name", null, $"{Path.GetFileName(results.VideoPath)} ({results.Job.Tool})").ConfigureAwait(false);
        await xml.WriteElementStringAsync(null, "size", null, Text(summary.TotalFrames)).ConfigureAwait(false);
        await xml.WriteElementStringAsync(null, "mode", null, "interpolation").ConfigureAwait(false);
        await xml.WriteElementStringAsync(null, "overlap", null, "0").ConfigureAwait(false);
        await xml.WriteElementStringAsync(null, "start_frame", null, "0").ConfigureAwait(false);
        await xml.WriteElementStringAsync(null, "stop_frame", null, Text(Math.Max(0, summary.TotalFrames - 1))).ConfigureAwait(false);
        await xml.WriteStartElementAsync(null, "labels", null).ConfigureAwait(false);
        foreach (var label in labels)
        {
            await xml.WriteStartElementAsync(null, "label", null).ConfigureAwait(false);
            await xml.WriteElementStringAsync(null, "name", null, label).ConfigureAwait(false);
            await xml.WriteElementStringAsync(null, "type", null, "rectangle").ConfigureAwait(false);
            await xml.WriteStartElementAsync(null, "attributes", null).ConfigureAwait(false);
            await xml.WriteEndElementAsync().ConfigureAwait(false);
            await xml.WriteEndElementAsync().ConfigureAwait(false);
        }

        await xml.WriteEndElementAsync().ConfigureAwait(false);
        await xml.WriteStartElementAsync(null, "original_size", null).ConfigureAwait(false);
        await xml.WriteElementStringAsync(null, "width", null, Text(info?.Width ?? 0)).ConfigureAwait(false);
        await xml.WriteElementStringAsync(null, "height", null, Text(info?.Height ?? 0)).ConfigureAwait(false);
        await xml.WriteEndElementAsync().ConfigureAwait(false);
        await xml.WriteEndElementAsync().ConfigureAwait(false);
        await xml.WriteEndElementAsync().ConfigureAwait(false);

        var trackNumber = 0;
        foreach (var (label, boxes) in tracks.Values)
        {
            await WriteTrackAsync(xml, trackNumber++, label, boxes, analysed).ConfigureAwait(false);
        }

        if (untracked > 0)
        {
            var single = new List<CvatBox>(1);
            await foreach (var frame in ResultsReader.ReadFramesAsync(results.Directory, cancellationToken).ConfigureAwait(false))
            {
                foreach (var d in frame.Detections.Where(d => d.TrackId is null))
                {
                    single.Clear();
                    single.Add(CvatBox.Of(frame.FrameIndex, d));
                    await WriteTrackAsync(xml, trackNumber++, d.ClassName, single, analysed).ConfigureAwait(false);
                }
            }
        }

        await xml.WriteEndElementAsync().ConfigureAwait(false);
        await xml.WriteEndDocumentAsync().ConfigureAwait(false);
        await xml.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// One track's boxes, with a box <c>outside="1"</c> on the next analysed frame (from <paramref name="analysed"/>, in
    /// order) after each run of boxes that does not reach it.
    /// </summary>
    private static async Task WriteTrackAsync(XmlWriter xml, int number, string label, List<CvatBox> boxes, List<int> analysed)
    {
        await xml.WriteStartElementAsync(null, "track", null).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "id", null, Text(number)).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "label", null, label).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "source", null, "auto").ConfigureAwait(false);
        for (var i = 0; i < boxes.Count; i++)
        {
            var b = boxes[i];
            await WriteBoxAsync(xml, b.Frame, b, outside: false).ConfigureAwait(false);
            var at = analysed.BinarySearch(b.Frame);
            var hasNext = at >= 0 && at + 1 < analysed.Count;
            if (hasNext && (i + 1 == boxes.Count || boxes[i + 1].Frame != analysed[at + 1]))
            {
                await WriteBoxAsync(xml, analysed[at + 1], b, outside: true).ConfigureAwait(false);
            }
        }

        await xml.WriteEndElementAsync().ConfigureAwait(false);
        await xml.FlushAsync().ConfigureAwait(false);
    }

    private static async Task WriteBoxAsync(XmlWriter xml, int frame, CvatBox b, bool outside)
    {
        await xml.WriteStartElementAsync(null, "box", null).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "frame", null, Text(frame)).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "outside", null, outside ? "1" : "0").ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "occluded", null, "0").ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "keyframe", null, outside || !b.Interpolated ? "1" : "0").ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "xtl", null, Text(b.X1)).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "ytl", null, Text(b.Y1)).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "xbr", null, Text(b.X2)).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "ybr", null, Text(b.Y2)).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "z_order", null, "0").ConfigureAwait(false);
        await xml.WriteEndElementAsync().ConfigureAwait(false);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private readonly record struct CvatBox(int Frame, float X1, float Y1, float X2, float Y2, bool Interpolated)
    {
        public static CvatBox Of(int frame, DetectedObject d) => new(frame, d.X1, d.Y1, d.X2, d.Y2, d.Interpolated);
    }

    private static string Text(float value) => Math.Round(value, 2).ToString("0.00", CultureInfo.InvariantCulture);
}
