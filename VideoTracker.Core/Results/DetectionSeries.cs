namespace VideoTracker.Core.Results;

/// <summary>
/// Detections per frame over time, for the chart and <c>GET /v1/jobs/{id}/series</c>: built while the frames
/// are written and stored as <c>series.json</c> when the job ends, so no page view re-reads the frames.
/// Frames fall into equal time bins (min, sum and max of detections per frame, and the same per class);
/// when there are more than <see cref="MaxBins"/> bins, neighbours merge and the bin width doubles, so the
/// stored series stays small however long the clip. A request for N buckets merges bins again.
/// </summary>
public sealed class DetectionSeries
{
    public const int MaxBins = 4096;
    public const double FirstBinMs = 100;

    private readonly List<Bin> _bins = [];
    private readonly Dictionary<string, int> _frameClasses = new(StringComparer.Ordinal);

    public double BinMs { get; private set; } = FirstBinMs;

    /// <summary>Adds one analysed frame. Frames come in time order.</summary>
    public void Add(double timestampMs, IReadOnlyList<DetectedObject> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        var at = (long)Math.Floor(Math.Max(0, timestampMs) / BinMs);
        while (at >= MaxBins)
        {
            Halve();
            at = (long)Math.Floor(Math.Max(0, timestampMs) / BinMs);
        }

        while (_bins.Count <= at)
        {
            _bins.Add(new Bin());
        }

        _frameClasses.Clear();
        foreach (var d in detections)
        {
            _frameClasses[d.ClassName] = _frameClasses.GetValueOrDefault(d.ClassName) + 1;
        }

        _bins[(int)at].Add(detections.Count, _frameClasses);
    }

    /// <summary>The series in <paramref name="buckets"/> equal slices of time (fewer when there are fewer bins).</summary>
    public SeriesDocument ToDocument(int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        var used = _bins.FindLastIndex(b => b.Frames > 0) + 1;
        var per = Math.Max(1, (int)Math.Ceiling(used / (double)buckets));
        var points = new List<SeriesBucket>();
        for (var start = 0; start < used; start += per)
        {
            var merged = new Bin();
            for (var i = start; i < Math.Min(used, start + per); i++)
            {
                merged.Merge(_bins[i]);
            }

            points.Add(merged.ToBucket(start * BinMs, Math.Min(used, start + per) * BinMs));
        }

        return new SeriesDocument(per * BinMs, points);
    }

    public async Task SaveAsync(string resultsDirectory, CancellationToken cancellationToken)
    {
        var stored = new StoredSeries(BinMs, [.. _bins.Select(b => b.ToStored())]);
        await ResultJson.WriteFileAsync(ResultFiles.SeriesPath(resultsDirectory), stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored series of a job, or null when its results predate <c>series.json</c>.</summary>
    public static async Task<DetectionSeries?> LoadAsync(string resultsDirectory, CancellationToken cancellationToken)
    {
        var path = ResultFiles.SeriesPath(resultsDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var file = File.OpenRead(path);
        var stored = await JsonSerializer.DeserializeAsync<StoredSeries>(file, ResultJson.Options, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("The series file is empty.");
        var series = new DetectionSeries { BinMs = stored.BinMs };
        series._bins.AddRange(stored.Bins.Select(Bin.FromStored));
        return series;
    }

    /// <summary>
    /// The stored series, or for results written before it existed, one built from the frames and stored,
    /// so that is done once.
    /// </summary>
    public static async Task<DetectionSeries> LoadOrBuildAsync(string resultsDirectory, CancellationToken cancellationToken)
    {
        if (await LoadAsync(resultsDirectory, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return stored;
        }

        var series = new DetectionSeries();
        await foreach (var frame in ResultsReader.ReadFramesAsync(resultsDirectory, cancellationToken).ConfigureAwait(false))
        {
            series.Add(frame.TimestampMs, frame.Detections);
        }

        await series.SaveAsync(resultsDirectory, cancellationToken).ConfigureAwait(false);
        return series;
    }

    private void Halve()
    {
        for (var i = 0; i < _bins.Count; i += 2)
        {
            var merged = _bins[i];
            if (i + 1 < _bins.Count)
            {
                merged.Merge(_bins[i + 1]);
            }

            _bins[i / 2] = merged;
        }

        _bins.RemoveRange((_bins.Count + 1) / 2, _bins.Count - ((_bins.Count + 1) / 2));
        BinMs *= 2;
    }

    private sealed class Bin
    {
        public int Frames { get; private set; }

        private int _min = int.MaxValue;
        private long _sum;
        private int _max;
        private readonly Dictionary<string, ClassStats> _classes = new(StringComparer.Ordinal);

        public void Add(int count, Dictionary<string, int> classes)
        {
            Frames++;
            _min = Math.Min(_min, count);
            _max = Math.Max(_max, count);
            _sum += count;
            foreach (var (name, n) in classes)
            {
                _classes[name] = _classes.TryGetValue(name, out var c) ? c.With(n) : new ClassStats(1, n, n, n);
            }
        }

        public void Merge(Bin other)
        {
            Frames += other.Frames;
            _min = Math.Min(_min, other._min);
            _max = Math.Max(_max, other._max);
            _sum += other._sum;
            foreach (var (name, c) in other._classes)
            {
                _classes[name] = _classes.TryGetValue(name, out var mine) ? mine.Merge(c) : c;
            }
        }

        public SeriesBucket ToBucket(double startMs, double endMs) => new(
            startMs,
            endMs,
            Frames,
            Frames == 0 ? 0 : _min,
            Frames == 0 ? 0 : _sum / (double)Frames,
            _max,
            _classes.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(
                c => c.Key,
                c => new SeriesStats(c.Value.FramesWith < Frames ? 0 : c.Value.MinPresent, c.Value.Sum / (double)Frames, c.Value.Max),
                StringComparer.Ordinal));

        public StoredBin ToStored() => new(Frames, Frames == 0 ? 0 : _min, _sum, _max, _classes.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal));

        public static Bin FromStored(StoredBin stored)
        {
            var bin = new Bin { Frames = stored.Frames, _min = stored.Frames == 0 ? int.MaxValue : stored.Min, _sum = stored.Sum, _max = stored.Max };
            foreach (var (name, c) in stored.Classes)
            {
                bin._classes[name] = c;
            }

            return bin;
        }
    }

    /// <param name="FramesWith">Frames of the bin in which the class appears.</param>
    /// <param name="MinPresent">The fewest of the class in a frame where it appears.</param>
    public readonly record struct ClassStats(int FramesWith, int MinPresent, long Sum, int Max)
    {
        public ClassStats With(int count) => new(FramesWith + 1, Math.Min(MinPresent, count), Sum + count, Math.Max(Max, count));

        public ClassStats Merge(ClassStats other) =>
            new(FramesWith + other.FramesWith, Math.Min(MinPresent, other.MinPresent), Sum + other.Sum, Math.Max(Max, other.Max));
    }

    private sealed record StoredSeries(double BinMs, IReadOnlyList<StoredBin> Bins);

    private sealed record StoredBin(int Frames, int Min, long Sum, int Max, IReadOnlyDictionary<string, ClassStats> Classes);
}

/// <summary>The answer of <c>GET /v1/jobs/{id}/series</c>.</summary>
public sealed record SeriesDocument(double BucketMs, IReadOnlyList<SeriesBucket> Buckets);

/// <summary>Detections per analysed frame in [<paramref name="StartMs"/>, <paramref name="EndMs"/>), overall and per class.</summary>
public sealed record SeriesBucket(double StartMs, double EndMs, int Frames, int Min, double Mean, int Max, IReadOnlyDictionary<string, SeriesStats> Classes);

public sealed record SeriesStats(int Min, double Mean, int Max);
