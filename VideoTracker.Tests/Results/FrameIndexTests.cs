namespace VideoTracker.Tests.Results;

/// <summary>The frame index and series that the real writer puts beside frames.ndjson, read back by the real reader.</summary>
public sealed class FrameIndexTests : IDisposable
{
    private const int Frames = 1000;
    private const double FrameMs = 40; // 25 fps
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Frame i has i % 4 people and, every other frame, one car.</summary>
    private async Task WriteAsync()
    {
        await using var writer = new FrameResultsWriter(_dir.Path);
        for (var i = 0; i < Frames; i++)
        {
            var detections = new List<DetectedObject>();
            for (var p = 0; p < i % 4; p++)
            {
                detections.Add(new DetectedObject(p, p, p + 10, p + 10, 0.9f, 0, "person", null));
            }

            if (i % 2 == 0)
            {
                detections.Add(new DetectedObject(1, 1, 5, 5, 0.8f, 2, "car", null));
            }

            await writer.WriteAsync(new FrameDetections(i, i * FrameMs, detections), CancellationToken.None);
        }

        await writer.CompleteAsync(new ToolRunSummary(Frames, Frames, Frames, false), CancellationToken.None);
    }

    [Fact]
    public async Task ReadFrameLinesBetween_WindowInTheMiddle_ReturnsExactlyItsFrames()
    {
        await WriteAsync();

        var lines = await ResultsReader.ReadFrameLinesBetweenAsync(_dir.Path, 20_000, 25_000).ToListAsync();

        Assert.Equal(Enumerable.Range(500, 125), lines.Select(l => ResultsReader.ParseFrame(l).FrameIndex));
        Assert.Equal((Frames + FrameIndex.Every - 1) / FrameIndex.Every * FrameIndex.EntrySize, new FileInfo(ResultFiles.FrameIndexPath(_dir.Path)).Length);
    }

    [Fact]
    public async Task ReadFrameLines_WithOffsetOrTimeWindowLateInTheFile_NeverReadsTheFramesBeforeTheIndexEntry()
    {
        await WriteAsync();
        // Spoil the first 500 lines in place (same length): a reader that scans from the start would fail on them.
        var path = ResultFiles.FramesPath(_dir.Path);
        var lines = await File.ReadAllLinesAsync(path);
        for (var i = 0; i < 500; i++)
        {
            lines[i] = new string('x', lines[i].Length);
        }

        await File.WriteAllLinesAsync(path, lines);

        var byTime = await ResultsReader.ReadFrameLinesBetweenAsync(_dir.Path, 30_000, 30_200).ToListAsync();
        var byOffset = await ResultsReader.ReadFrameLinesAsync(_dir.Path, offset: 900, limit: 3).ToListAsync();

        Assert.Equal([750, 751, 752, 753, 754], byTime.Select(l => ResultsReader.ParseFrame(l).FrameIndex));
        Assert.Equal([900, 901, 902], byOffset.Select(l => ResultsReader.ParseFrame(l).FrameIndex));
        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(async () => await ResultsReader.ReadFrameLinesBetweenAsync(_dir.Path, 0, 100).ToListAsync());
    }

    [Fact]
    public async Task ReadFrameLines_ResultsWithoutIndex_StillPageFromTheStart()
    {
        await WriteAsync();
        File.Delete(ResultFiles.FrameIndexPath(_dir.Path));

        var window = await ResultsReader.ReadFrameLinesBetweenAsync(_dir.Path, 39_920, null).ToListAsync();
        var page = await ResultsReader.ReadFrameLinesAsync(_dir.Path, offset: 998).ToListAsync();

        Assert.Equal([998, 999], window.Select(l => ResultsReader.ParseFrame(l).FrameIndex));
        Assert.Equal([998, 999], page.Select(l => ResultsReader.ParseFrame(l).FrameIndex));
    }

    [Fact]
    public async Task Series_StoredByTheWriter_GivesMinMeanMaxPerBucketAndClass()
    {
        await WriteAsync();

        var series = await DetectionSeries.LoadAsync(_dir.Path, CancellationToken.None);
        var document = series!.ToDocument(10);

        Assert.Equal(10, document.Buckets.Count);
        Assert.Equal(4000, document.BucketMs);
        var first = document.Buckets[0];
        Assert.Equal(100, first.Frames);
        // People 0,1,2,3 repeating (mean 1.5) plus a car every other frame (mean 0.5): 1, 1, 3, 3 in all.
        Assert.Equal(1, first.Min);
        Assert.Equal(2.0, first.Mean, 6);
        Assert.Equal(3, first.Max);
        Assert.Equal(new SeriesStats(0, 1.5, 3), first.Classes["person"]);
        Assert.Equal(new SeriesStats(0, 0.5, 1), first.Classes["car"]);
        Assert.Equal(Frames, document.Buckets.Sum(b => b.Frames));
    }

    [Fact]
    public void Series_LongerThanMaxBins_MergesBinsAndKeepsEveryFrame()
    {
        var series = new DetectionSeries();
        const int frames = 100_000; // 55 minutes at 30 fps
        for (var i = 0; i < frames; i++)
        {
            series.Add(i * 1000.0 / 30, [new DetectedObject(0, 0, 1, 1, 1, 0, "person", null)]);
        }

        var document = series.ToDocument(100);

        Assert.True(series.BinMs >= frames / 30.0 * 1000 / DetectionSeries.MaxBins, $"bin width {series.BinMs} ms");
        Assert.InRange(document.Buckets.Count, 90, 100);
        Assert.Equal(frames, document.Buckets.Sum(b => b.Frames));
        Assert.All(document.Buckets, b => Assert.Equal((1, 1.0, 1), (b.Min, b.Mean, b.Max)));
    }
}
