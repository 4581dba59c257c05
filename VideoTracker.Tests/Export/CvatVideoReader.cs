using System.Xml.Linq;

namespace VideoTracker.Tests.Export;

/// <summary>
/// Our own reader of CVAT for video 1.1 XML, strict about the structure CVAT's importer needs, and able
/// to say on which frames each track is visible (a key frame with outside="0" shows it until the next key frame).
/// </summary>
public sealed class CvatVideoReader
{
    public required int Size { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required IReadOnlyList<string> Labels { get; init; }

    public required IReadOnlyList<CvatTrack> Tracks { get; init; }

    public sealed record CvatBox(int Frame, bool Outside, double Xtl, double Ytl, double Xbr, double Ybr, bool Keyframe = true);

    public sealed record CvatTrack(int Id, string Label, IReadOnlyList<CvatBox> Boxes)
    {
        /// <summary>Frames on which the track is shown, up to <paramref name="stopFrame"/>.</summary>
        public SortedSet<int> VisibleFrames(int stopFrame)
        {
            var frames = new SortedSet<int>();
            for (var i = 0; i < Boxes.Count; i++)
            {
                if (Boxes[i].Outside)
                {
                    continue;
                }

                var end = i + 1 < Boxes.Count ? Boxes[i + 1].Frame - 1 : stopFrame;
                for (var f = Boxes[i].Frame; f <= end; f++)
                {
                    frames.Add(f);
                }
            }

            return frames;
        }
    }

    public static CvatVideoReader Parse(string xml)
    {
        var root = XDocument.Parse(xml).Root ?? throw new FormatException("no root");
        Require(root.Name == "annotations", "the root is <annotations>");
        Require((string?)root.Element("version") == "1.1", "<version>1.1</version>");
        var task = root.Element("meta")?.Element("task") ?? throw new FormatException("<meta><task> is missing");
        Require((string?)task.Element("mode") == "interpolation", "mode is interpolation (video)");
        var labels = task.Element("labels")?.Elements("label").Select(l => (string?)l.Element("name") ?? throw new FormatException("a label without a name")).ToList()
            ?? throw new FormatException("<labels> is missing");
        var size = task.Element("original_size") ?? throw new FormatException("<original_size> is missing");
        Require(root.Elements().All(e => e.Name.LocalName is "version" or "meta" or "track"), "only version, meta and track under the root");

        var tracks = new List<CvatTrack>();
        foreach (var t in root.Elements("track"))
        {
            var label = Attr(t, "label");
            Require(labels.Contains(label), $"track label '{label}' is declared");
            var boxes = t.Elements().Select(b =>
            {
                Require(b.Name == "box", "a track holds only <box>");
                Require(Attr(b, "keyframe") is "0" or "1" && Attr(b, "occluded") is "0" or "1" && Attr(b, "outside") is "0" or "1", "flags are 0 or 1");
                var box = new CvatBox(int.Parse(Attr(b, "frame"), CultureInfo.InvariantCulture), Attr(b, "outside") == "1",
                    Number(b, "xtl"), Number(b, "ytl"), Number(b, "xbr"), Number(b, "ybr"), Attr(b, "keyframe") == "1");
                Require(box.Xbr >= box.Xtl && box.Ybr >= box.Ytl, "xbr ≥ xtl and ybr ≥ ytl");
                return box;
            }).ToList();
            Require(boxes.Count > 0, "a track has boxes");
            Require(boxes.Zip(boxes.Skip(1)).All(p => p.First.Frame < p.Second.Frame), "boxes in increasing frame order");
            Require(!boxes[0].Outside, "a track starts inside");
            tracks.Add(new CvatTrack(int.Parse(Attr(t, "id"), CultureInfo.InvariantCulture), label, boxes));
        }

        Require(tracks.Select(t => t.Id).Distinct().Count() == tracks.Count, "track ids are unique");
        return new CvatVideoReader
        {
            Size = int.Parse((string?)task.Element("size") ?? "x", CultureInfo.InvariantCulture),
            Width = int.Parse((string?)size.Element("width") ?? "x", CultureInfo.InvariantCulture),
            Height = int.Parse((string?)size.Element("height") ?? "x", CultureInfo.InvariantCulture),
            Labels = labels,
            Tracks = tracks,
        };
    }

    private static string Attr(XElement e, string name) => (string?)e.Attribute(name) ?? throw new FormatException($"<{e.Name}> lacks {name}");

    private static double Number(XElement e, string name) => double.Parse(Attr(e, name), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void Require(bool condition, string rule)
    {
        if (!condition)
        {
            throw new FormatException("CVAT for video 1.1: " + rule);
        }
    }
}
