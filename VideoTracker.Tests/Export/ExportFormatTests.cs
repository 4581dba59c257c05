using VideoTracker.Tests.Tracking;

namespace VideoTracker.Tests.Export;

/// <summary>The coco and cvat exports of a real tracking job, read back and compared with its MOT export.</summary>
public sealed class ExportFormatTests(TrackingJobFixture fixture) : IClassFixture<TrackingJobFixture>
{
    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Cvat_TrackingJob_IsVideoXmlWhoseTracksShowExactlyTheTrackedFrames()
    {
        var rows = await MotRowsAsync();
        using var response = await fixture.Client.GetAsync($"/v1/jobs/{fixture.TrackingJob}/export?format=cvat");
        var cvat = CvatVideoReader.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(40, cvat.Size);
        Assert.Equal((768, 576), (cvat.Width, cvat.Height));
        Assert.Equal(["person"], cvat.Labels);
        var byId = rows.GroupBy(r => r.Id).OrderBy(g => g.Key).ToList();
        Assert.Equal(byId.Count, cvat.Tracks.Count);
        for (var i = 0; i < byId.Count; i++)
        {
            var expectedFrames = byId[i].Select(r => r.Frame - 1).ToHashSet();
            Assert.Equal(expectedFrames.Order(), cvat.Tracks[i].VisibleFrames(stopFrame: 39));
            var first = byId[i].First();
            var box = cvat.Tracks[i].Boxes[0];
            Assert.Equal(first.Left, box.Xtl, 0.01);
            Assert.Equal(first.Top + first.Height, box.Ybr, 0.02);
        }
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Coco_TrackingJob_HasAnImagePerFrameAndAnAnnotationPerBoxWithItsTrackId()
    {
        var rows = await MotRowsAsync();
        using var response = await fixture.Client.GetAsync($"/v1/jobs/{fixture.TrackingJob}/export?format=coco");
        var coco = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var images = coco.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 40), images.Select(i => i.GetProperty("id").GetInt32()));
        Assert.All(images, i => Assert.Equal((768, 576), (i.GetProperty("width").GetInt32(), i.GetProperty("height").GetInt32())));
        var categories = coco.GetProperty("categories").EnumerateArray().ToList();
        Assert.Equal("person", Assert.Single(categories).GetProperty("name").GetString());
        var annotations = coco.GetProperty("annotations").EnumerateArray().ToList();
        Assert.Equal(rows.Count, annotations.Count);
        Assert.Equal(annotations.Count, annotations.Select(a => a.GetProperty("id").GetInt32()).Distinct().Count());
        for (var i = 0; i < rows.Count; i++)
        {
            var a = annotations[i];
            Assert.Equal(rows[i].Frame, a.GetProperty("image_id").GetInt32());
            Assert.Equal(rows[i].Id, a.GetProperty("attributes").GetProperty("track_id").GetInt32());
            Assert.Equal(categories[0].GetProperty("id").GetInt32(), a.GetProperty("category_id").GetInt32());
            var bbox = a.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(rows[i].Left, bbox[0], 0.01);
            Assert.Equal(rows[i].Width, bbox[2], 0.02);
        }
    }

    /// <summary>Each box of the JSON results, in order, with whether the tracker interpolated it; the job has some of each.</summary>
    private async Task<List<(int Frame, int Id, bool Interpolated)>> JsonBoxesAsync(Guid job)
    {
        var json = await fixture.Client.GetJsonAsync($"/v1/jobs/{job}/export?format=json");
        var boxes = json.GetProperty("results").GetProperty("frames").EnumerateArray()
            .SelectMany(f => f.GetProperty("detections").EnumerateArray().Select(d => (
                f.GetProperty("frame_index").GetInt32(),
                d.GetProperty("track_id").GetInt32(),
                d.TryGetProperty("interpolated", out var i) && i.GetBoolean())))
            .ToList();
        Assert.Contains(boxes, b => b.Item3);
        Assert.Contains(boxes, b => !b.Item3);
        return boxes;
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Exports_TrackingJobWithFilledGaps_TellInterpolatedBoxesFromDetectionsAsTheJsonResultsDo()
    {
        var job = await fixture.GapFillingJobAsync();
        var boxes = await JsonBoxesAsync(job);

        // CSV: a last column, the others where they were.
        var csv = (await fixture.Client.GetStringAsync($"/v1/jobs/{job}/export?format=csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("frame_index,timestamp_ms,track_id,class_name,confidence,x1,y1,x2,y2,interpolated", csv[0]);
        Assert.Equal(
            boxes.Select(b => (b.Frame, b.Id, b.Interpolated ? "true" : "false")),
            csv.Skip(1).Select(l => l.Split(',')).Select(f => (int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture), f[9])));

        // COCO: an interpolated box is not a key frame.
        var coco = await fixture.Client.GetJsonAsync($"/v1/jobs/{job}/export?format=coco");
        Assert.Equal(
            boxes.Select(b => (b.Frame + 1, b.Id, !b.Interpolated)),
            coco.GetProperty("annotations").EnumerateArray().Select(a => (
                a.GetProperty("image_id").GetInt32(), a.GetProperty("attributes").GetProperty("track_id").GetInt32(), a.GetProperty("attributes").GetProperty("keyframe").GetBoolean())));

        // CVAT: keyframe="0" on interpolated boxes; the "outside" boxes that end a stretch stay key frames.
        var cvat = CvatVideoReader.Parse(await fixture.Client.GetStringAsync($"/v1/jobs/{job}/export?format=cvat"));
        var byId = boxes.GroupBy(b => b.Id).OrderBy(g => g.Key).ToList();
        Assert.Equal(byId.Count, cvat.Tracks.Count);
        for (var i = 0; i < byId.Count; i++)
        {
            Assert.Equal(byId[i].Select(b => (b.Frame, !b.Interpolated)), cvat.Tracks[i].Boxes.Where(b => !b.Outside).Select(b => (b.Frame, b.Keyframe)));
            Assert.All(cvat.Tracks[i].Boxes.Where(b => b.Outside), b => Assert.True(b.Keyframe));
        }

        // MOT has no column for it: every box, interpolated ones too.
        var mot = (await fixture.Client.GetStringAsync($"/v1/jobs/{job}/export?format=mot")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(boxes.Count, mot.Length);

        // The summary: total_detections counts every box, interpolated_detections those filled in.
        var summary = (await fixture.Client.GetJsonAsync($"/v1/jobs/{job}")).GetProperty("results").GetProperty("results").GetProperty("summary");
        Assert.Equal((boxes.Count, boxes.Count(b => b.Interpolated)), (summary.GetProperty("total_detections").GetInt32(), summary.GetProperty("interpolated_detections").GetInt32()));
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task JobDetail_CompletedJob_LinksEveryRegisteredFormat()
    {
        var job = await fixture.Client.GetJsonAsync($"/v1/jobs/{fixture.TrackingJob}");

        var exports = job.GetProperty("results").GetProperty("results").GetProperty("exports");
        Assert.Equal(["coco", "csv", "cvat", "json", "mot"], exports.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Export_UnknownFormat_Answers400ListingTheFormats()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{Guid.NewGuid()}/export?format=yaml");
        var (status, problem) = await fixture.Client.SendForProblemAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, status);
        Assert.Contains("json, csv, mot, coco, cvat", problem.Detail(), StringComparison.Ordinal);
    }

    private readonly record struct Row(int Frame, int Id, double Left, double Top, double Width, double Height);

    private async Task<List<Row>> MotRowsAsync()
    {
        var mot = await fixture.Client.GetStringAsync($"/v1/jobs/{fixture.TrackingJob}/export?format=mot");
        return [.. mot.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .Select(f => new Row((int)f[0], (int)f[1], f[2], f[3], f[4], f[5]))];
    }
}
