using OpenCvSharp;
using VideoTracker.Core.Detection;

namespace VideoTracker.Core.Tracking;

/// <summary>One row of a job's track table, as stored in <c>tracks.json</c> and served by <c>GET /v1/jobs/{id}/tracks</c>.</summary>
public sealed record TrackRow(
    int TrackId,
    string ClassName,
    int FirstFrame,
    int LastFrame,
    double FirstMs,
    double LastMs,
    int Frames,
    double MeanConfidence,
    double PathLengthPx,
    bool HasThumbnail);

/// <summary>
/// Builds a job's track table from the frames as they are written, and keeps a small crop of each track at
/// its most confident box, taken from the decoded frame as it passes (no second decoding). <see cref="WriteAsync"/>
/// stores <c>tracks.json</c> and one JPEG per track next to the results when the run ends.
/// </summary>
public sealed class TrackTableBuilder : IDisposable
{
    /// <summary>Crops are scaled down to at most this height before they are kept.</summary>
    public const int ThumbnailHeight = 128;

    private readonly SortedDictionary<int, Entry> _tracks = [];
    private readonly Dictionary<int, (double Confidence, Mat? Image)> _crops = [];

    /// <summary>Tracks seen so far.</summary>
    public int Count => _tracks.Count;

    /// <summary>Adds one analysed frame's tracked detections, as written to the results.</summary>
    public void Add(int frameIndex, double timestampMs, IReadOnlyList<DetectedObject> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        foreach (var d in detections)
        {
            if (d.TrackId is not { } id)
            {
                continue;
            }

            var cx = (d.X1 + d.X2) / 2.0;
            var cy = (d.Y1 + d.Y2) / 2.0;
            if (!_tracks.TryGetValue(id, out var e))
            {
                e = new Entry { ClassName = d.ClassName, FirstFrame = frameIndex, FirstMs = timestampMs, LastX = cx, LastY = cy };
                _tracks[id] = e;
            }

            e.Path += Math.Sqrt(((cx - e.LastX) * (cx - e.LastX)) + ((cy - e.LastY) * (cy - e.LastY)));
            e.LastX = cx;
            e.LastY = cy;
            e.LastFrame = frameIndex;
            e.LastMs = timestampMs;
            e.Frames++;
            if (!d.Interpolated)
            {
                e.Detected++;
                e.ConfidenceSum += d.Confidence;
            }
        }
    }

    /// <summary>
    /// Keeps a crop of each track whose box here is its most confident so far; <paramref name="frame"/> is only
    /// read during the call. A scaled frame (ffmpeg decoded the run) gives a crop at that scale.
    /// </summary>
    public void OfferCrops(IReadOnlyList<DetectedObject> detections, DecodedFrame frame)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(frame.Pixels);
        if (frame.Pixels.Empty())
        {
            return;
        }

        foreach (var d in detections)
        {
            if (d.TrackId is not { } id)
            {
                continue;
            }

            var best = _crops.TryGetValue(id, out var crop) ? crop.Confidence : double.NegativeInfinity;
            if (d.Confidence > best)
            {
                crop.Image?.Dispose();
                _crops[id] = (d.Confidence, Crop(frame.Pixels, d, frame.Scale));
            }
        }
    }

    /// <summary>The table, ordered by track id.</summary>
    public IReadOnlyList<TrackRow> Rows() =>
    [
        .. _tracks.Select(p => new TrackRow(
            p.Key, p.Value.ClassName, p.Value.FirstFrame, p.Value.LastFrame, p.Value.FirstMs, p.Value.LastMs, p.Value.Frames,
            p.Value.Detected == 0 ? 0 : Math.Round(p.Value.ConfidenceSum / p.Value.Detected, 4), Math.Round(p.Value.Path, 2),
            _crops.TryGetValue(p.Key, out var crop) && crop.Image is not null)),
    ];

    /// <summary>Writes <c>tracks.json</c> and the thumbnails into <paramref name="resultsDirectory"/>.</summary>
    public async Task WriteAsync(string resultsDirectory, CancellationToken cancellationToken)
    {
        var folder = ResultFiles.ThumbnailsPath(resultsDirectory);
        Directory.CreateDirectory(folder);
        foreach (var id in _tracks.Keys)
        {
            if (_crops.TryGetValue(id, out var best) && best.Image is { } crop)
            {
                Cv2.ImEncode(".jpg", crop, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 85));
                await File.WriteAllBytesAsync(ResultFiles.ThumbnailPath(resultsDirectory, id), jpeg, cancellationToken).ConfigureAwait(false);
            }
        }

        await ResultJson.WriteFileAsync(ResultFiles.TracksPath(resultsDirectory), Rows(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The stored table, or for a tracking job whose results predate <c>tracks.json</c> (made by an older version), one
    /// built from the frames and stored, so that is done once; those tracks have no thumbnails. Null when the job has
    /// no track ids.
    /// </summary>
    public static async Task<IReadOnlyList<TrackRow>?> ReadOrBuildAsync(string resultsDirectory, CancellationToken cancellationToken)
    {
        if (await ReadAsync(resultsDirectory, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return stored;
        }

        var summary = await ResultsReader.ReadSummaryAsync(resultsDirectory, cancellationToken).ConfigureAwait(false);
        if (summary.UniqueTracks is null)
        {
            return null;
        }

        using var table = new TrackTableBuilder();
        await foreach (var frame in ResultsReader.ReadFramesAsync(resultsDirectory, cancellationToken).ConfigureAwait(false))
        {
            table.Add(frame.FrameIndex, frame.TimestampMs, frame.Detections);
        }

        await table.WriteAsync(resultsDirectory, cancellationToken).ConfigureAwait(false);
        return table.Rows();
    }

    /// <summary>The stored table of a job's results, or null when the job has none (not a tracking job).</summary>
    private static async Task<IReadOnlyList<TrackRow>?> ReadAsync(string resultsDirectory, CancellationToken cancellationToken)
    {
        var path = ResultFiles.TracksPath(resultsDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<List<TrackRow>>(file, ResultJson.Options, cancellationToken).ConfigureAwait(false) ?? [];
    }

    public void Dispose()
    {
        foreach (var (_, image) in _crops.Values)
        {
            image?.Dispose();
        }
    }

    private static Mat? Crop(Mat frame, DetectedObject d, double scale)
    {
        var x1 = Math.Clamp((int)Math.Floor(d.X1 * scale), 0, frame.Width - 1);
        var y1 = Math.Clamp((int)Math.Floor(d.Y1 * scale), 0, frame.Height - 1);
        var x2 = Math.Clamp((int)Math.Ceiling(d.X2 * scale), x1 + 1, frame.Width);
        var y2 = Math.Clamp((int)Math.Ceiling(d.Y2 * scale), y1 + 1, frame.Height);
        using var roi = new Mat(frame, new Rect(x1, y1, x2 - x1, y2 - y1));
        if (roi.Height <= ThumbnailHeight)
        {
            return roi.Clone();
        }

        var shrink = (double)ThumbnailHeight / roi.Height;
        var resized = new Mat();
        Cv2.Resize(roi, resized, new Size(Math.Max(1, (int)Math.Round(roi.Width * shrink)), ThumbnailHeight), interpolation: InterpolationFlags.Area);
        return resized;
    }

    private sealed class Entry
    {
        public string ClassName { get; init; } = string.Empty;

        public int FirstFrame { get; init; }

        public double FirstMs { get; init; }

        public int LastFrame { get; set; }

        public double LastMs { get; set; }

        public int Frames { get; set; }

        public double ConfidenceSum { get; set; }

        public int Detected { get; set; }

        public double Path { get; set; }

        public double LastX { get; set; }

        public double LastY { get; set; }
    }
}
