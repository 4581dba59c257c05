using System.Net.Http.Headers;
using System.Text;
using VideoTracker.Core.Detection;
using VideoTracker.Tests.Detection;

namespace VideoTracker.Tests.Tracking;

/// <summary>One finished tracking job (40 frames of vtest with the real model) and one motion job, shared by the tests.</summary>
public sealed class TrackingJobFixture : IAsyncLifetime
{
    public DetectionAppFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public Guid TrackingJob { get; private set; }

    public Guid MotionJob { get; private set; }

    private Task<Guid>? _gapFillingJob;

    /// <summary>A tracking job on the first 200 frames of vtest, long enough for the tracker to fill gaps; made on first use.</summary>
    public Task<Guid> GapFillingJobAsync() => _gapFillingJob ??= Client.SubmitCompletedAsync(
        SampleClips.VtestCut(Factory.Clips.Path, 200, "track-200.avi"), YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId);

    public async Task InitializeAsync()
    {
        Client = Factory.CreateClient();
        if (SharedAssets.SkipReason(SharedAsset.Model | SharedAsset.Sample) is not null)
        {
            return;
        }

        var clip = SampleClips.VtestCut(Factory.Clips.Path, 40, "track-40.avi");
        TrackingJob = await Client.SubmitCompletedAsync(clip, YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId);
        MotionJob = await Client.SubmitCompletedAsync(TestClips.MovingSquare(Factory.Clips.Path, frames: 10));
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await Factory.DisposeAsync();
    }
}

/// <summary>POST /v1/jobs/{id}/evaluate, GET /v1/jobs/{id}/tracks and the thumbnails, over real HTTP against a real job.</summary>
public sealed class TrackingApiTests(TrackingJobFixture fixture) : IClassFixture<TrackingJobFixture>
{
    private HttpClient Client => fixture.Client;

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Evaluate_AgainstTheJobsOwnMotExport_ScoresPerfectly()
    {
        var mot = await Client.GetStringAsync($"/v1/jobs/{fixture.TrackingJob}/export?format=mot");

        using var response = await Client.PostAsync($"/v1/jobs/{fixture.TrackingJob}/evaluate", GroundTruth(mot));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string[] fields = ["mota", "motp", "idf1", "idp", "idr", "precision", "recall", "id_switches", "fragmentations", "false_positives", "misses", "mostly_tracked", "partly_tracked", "mostly_lost", "gt_ids", "hyp_ids", "gt_boxes", "hyp_boxes"];
        Assert.Equal(fields.Order(), body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(1.0, body.GetProperty("mota").GetDouble(), 9);
        Assert.Equal(1.0, body.GetProperty("idf1").GetDouble(), 9);
        Assert.Equal(0, body.GetProperty("id_switches").GetInt32());
        var rows = mot.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.Equal(rows, body.GetProperty("gt_boxes").GetInt32());
        Assert.Equal(rows, body.GetProperty("hyp_boxes").GetInt32());
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Evaluate_FrameRangeAndShiftedTruth_ScoresOnlyThoseFramesAndCountsMisses()
    {
        var mot = await Client.GetStringAsync($"/v1/jobs/{fixture.TrackingJob}/export?format=mot");
        var shifted = string.Join('\n', mot.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l =>
        {
            var f = l.Split(',');
            f[2] = (double.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture) + 500).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return string.Join(',', f);
        }));

        var content = GroundTruth(shifted);
        content.Add(new StringContent("11"), "min_frame");
        content.Add(new StringContent("20"), "max_frame");
        using var response = await Client.PostAsync($"/v1/jobs/{fixture.TrackingJob}/evaluate", content);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var inRange = mot.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => int.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture) is >= 11 and <= 20);
        Assert.Equal(inRange, body.GetProperty("gt_boxes").GetInt32());
        Assert.Equal(inRange, body.GetProperty("misses").GetInt32());
        Assert.Equal(inRange, body.GetProperty("false_positives").GetInt32());
        Assert.Equal(0.0, body.GetProperty("recall").GetDouble());
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Evaluate_BadGroundTruth_Answers400NamingTheLine()
    {
        (string Text, string Expected)[] cases =
        [
            ("1,1,10,10,20,40,1,-1,-1,-1\n<html>not csv</html>\n", "Line 2"),
            ("1,1,10,10,-20,40,1,-1,-1,-1\n", "Line 1: the width and height must not be negative"),
            ("1,1,10,10,20,40,1,-1,-1,-1\n41,1,10,10,20,40,1,-1,-1,-1\n", "Line 2: frame 41 is beyond the clip, which has 40 frames"),
            ("", "empty"),
            ("1,1,10,10,20,40,0,-1,-1,-1\n2,1,10,10,20,40,0,-1,-1,-1\n", "no row with a conf other than 0 falls on the frames scored (1 to 40), so there is nothing to score."),
        ];
        foreach (var (text, expected) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{fixture.TrackingJob}/evaluate") { Content = GroundTruth(text) };
            var (status, problem) = await Client.SendForProblemAsync(request);

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(expected, problem.Detail(), StringComparison.Ordinal);
        }
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Evaluate_TruthForMoreFramesThanTheJobAnalysed_ScoresTheAnalysedFramesAndRefusesOnlyRowsBeyondTheClip()
    {
        // The first 20 of vtest.avi's 795 frames, against ground truth for 40 (the fixture's job on the first 40).
        var job = await Client.SubmitCompletedAsync(TestClips.SampleClip, YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId, new Dictionary<string, string> { ["max_frames"] = "20" });
        var truth = (await Client.GetStringAsync($"/v1/jobs/{fixture.TrackingJob}/export?format=mot")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var analysed = truth.Where(l => int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture) <= 20).ToArray();
        Assert.InRange(analysed.Length, 1, truth.Length - 1);

        var onEveryFrame = await EvaluateAsync(job, truth);
        var onAnalysedFrames = await EvaluateAsync(job, analysed);
        var (beyondStatus, beyond) = await Client.SendForProblemAsync(
            new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{job}/evaluate") { Content = GroundTruth(string.Join('\n', [.. truth, "796,1,10,10,20,40,1,-1,-1,-1"])) });

        Assert.Equal(onAnalysedFrames.ToString(), onEveryFrame.ToString());
        Assert.Equal(analysed.Length, onEveryFrame.GetProperty("gt_boxes").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, beyondStatus);
        Assert.Equal($"Invalid ground truth: Line {truth.Length + 1}: frame 796 is beyond the clip, which has 795 frames.", beyond.Detail());
    }

    private async Task<JsonElement> EvaluateAsync(Guid job, IEnumerable<string> groundTruth)
    {
        using var response = await Client.PostAsync($"/v1/jobs/{job}/evaluate", GroundTruth(string.Join('\n', groundTruth)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Evaluate_JobWithoutTracks_Answers409()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{fixture.MotionJob}/evaluate") { Content = GroundTruth("1,1,1,1,5,5,1\n") };
        var (status, problem) = await Client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("completed", problem.JobConflictStatus());
        Assert.Contains("no track ids", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_UnknownJob_Answers404()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{Guid.NewGuid()}/evaluate") { Content = GroundTruth("1,1,1,1,5,5,1\n") };
        var (status, _) = await Client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Evaluate_AFieldItDoesNotTakeOrASecondFile_Answers400()
    {
        var misspelt = GroundTruth("1,1,1,1,5,5,1\n");
        misspelt.Add(new StringContent("0.3"), "iuo");
        var twoFiles = GroundTruth("1,1,1,1,5,5,1\n");
        twoFiles.Add(new StringContent("1,1,1,1,5,5,1\n"), "file", "second.txt");

        var (status, problem) = await Client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{fixture.TrackingJob}/evaluate") { Content = misspelt });
        var (status2, problem2) = await Client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{fixture.TrackingJob}/evaluate") { Content = twoFiles });

        Assert.Equal((HttpStatusCode.BadRequest, "Unknown field 'iuo'. Use iou, class_name, min_frame, max_frame."), (status, problem.Detail()));
        Assert.Equal((HttpStatusCode.BadRequest, "Send one ground-truth file, in the field 'file'."), (status2, problem2.Detail()));
    }

    [SharedAssetTheory(SharedAsset.Model | SharedAsset.Sample)]
    [InlineData("1.5")]
    [InlineData("0")]
    [InlineData("NaN")]
    public async Task Evaluate_BadIou_Answers400(string iou)
    {
        var content = GroundTruth("1,1,1,1,5,5,1\n");
        content.Add(new StringContent(iou), "iou");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{fixture.TrackingJob}/evaluate") { Content = content };
        var (status, problem) = await Client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'iou'", problem.Detail(), StringComparison.Ordinal);
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Evaluate_CutOffMultipartBody_Answers400()
    {
        var content = new ByteArrayContent("--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"gt.txt\"\r\n\r\n1,1,1,1"u8.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xx");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{fixture.TrackingJob}/evaluate") { Content = content };
        var (status, problem) = await Client.SendForProblemAsync(request);

        Assert.Equal((HttpStatusCode.BadRequest, "The form could not be read: the multipart body is malformed or was cut off."), (status, problem.Detail()));
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Tracks_TrackingJob_ListsEveryTrackOfTheResultsWithAThumbnail()
    {
        var mot = await Client.GetStringAsync($"/v1/jobs/{fixture.TrackingJob}/export?format=mot");
        var idsInResults = mot.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order();

        var body = await Client.GetJsonAsync($"/v1/jobs/{fixture.TrackingJob}/tracks");
        var tracks = body.GetProperty("tracks").EnumerateArray().ToList();

        Assert.Equal(idsInResults, tracks.Select(t => t.GetProperty("track_id").GetInt32()));
        var first = tracks[0];
        Assert.Equal("person", first.GetProperty("class_name").GetString());
        Assert.True(first.GetProperty("last_frame").GetInt32() >= first.GetProperty("first_frame").GetInt32());
        Assert.InRange(first.GetProperty("mean_confidence").GetDouble(), 0.1, 1.0);
        Assert.True(first.GetProperty("path_length_px").GetDouble() >= 0);

        using var thumbnail = await Client.GetAsync($"/v1/jobs/{fixture.TrackingJob}/tracks/{first.GetProperty("track_id").GetInt32()}/thumbnail");
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        var bytes = await thumbnail.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xFF, 0xD8], bytes[..2]);
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Tracks_OffsetAndLimit_GiveThatSliceOfTheWholeTableAndItsCount()
    {
        var all = (await Client.GetJsonAsync($"/v1/jobs/{fixture.TrackingJob}/tracks")).GetProperty("tracks").EnumerateArray()
            .Select(t => t.GetProperty("track_id").GetInt32()).ToList();
        Assert.True(all.Count >= 4, $"the fixture's job has {all.Count} tracks");

        var page = await Client.GetJsonAsync($"/v1/jobs/{fixture.TrackingJob}/tracks?offset=2&limit=2");
        var beyond = await Client.GetJsonAsync($"/v1/jobs/{fixture.TrackingJob}/tracks?offset={all.Count}");
        var (status, problem) = await Client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{fixture.TrackingJob}/tracks?limit=1001"));

        Assert.Equal(all[2..4], page.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("track_id").GetInt32()));
        Assert.Equal(all.Count, page.GetProperty("count").GetInt32());
        Assert.Empty(beyond.GetProperty("tracks").EnumerateArray());
        Assert.Equal(all.Count, beyond.GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("limit must be a whole number from 1 to 1000.", problem.Detail());
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Tracks_ResultsWrittenBeforeTrackTables_AreBuiltFromTheFramesWithoutThumbnails()
    {
        // Versions before the track table (26 Nov 2026) wrote tracking results with track ids, but no tracks.json,
        // thumbnails, series.json or frame index: a real job's results, made to look like theirs.
        var job = await Client.SubmitCompletedAsync(SampleClips.VtestCut(fixture.Factory.Clips.Path, 40, "old-track-40.avi"), YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId);
        var written = (await Client.GetJsonAsync($"/v1/jobs/{job}/tracks")).GetProperty("tracks").EnumerateArray().ToList();
        var results = Path.Combine(fixture.Factory.DataDirectory, "jobs", job.ToString("N"), "results");
        foreach (var file in new[] { "tracks.json", "series.json", "frames.idx" })
        {
            File.Delete(Path.Combine(results, file));
        }

        Directory.Delete(Path.Combine(results, "thumbnails"), recursive: true);

        var rebuilt = (await Client.GetJsonAsync($"/v1/jobs/{job}/tracks")).GetProperty("tracks").EnumerateArray().ToList();
        using var thumbnail = await Client.GetAsync($"/v1/jobs/{job}/tracks/{written[0].GetProperty("track_id").GetInt32()}/thumbnail");

        Assert.NotEmpty(written);
        Assert.Equal(written.Select(Exact), rebuilt.Select(Exact));

        // Built from the boxes and confidences as stored (rounded to 0.01 px and 0.0001), not as the run held them.
        Assert.All(written.Zip(rebuilt), p =>
        {
            Assert.Equal(p.First.GetProperty("path_length_px").GetDouble(), p.Second.GetProperty("path_length_px").GetDouble(), 0.5);
            Assert.Equal(p.First.GetProperty("mean_confidence").GetDouble(), p.Second.GetProperty("mean_confidence").GetDouble(), 0.0002);
        });
        Assert.All(rebuilt, t => Assert.False(t.GetProperty("has_thumbnail").GetBoolean()));
        Assert.True(File.Exists(Path.Combine(results, "tracks.json")), "the table built is stored, so it is built once");
        Assert.Equal(HttpStatusCode.NotFound, thumbnail.StatusCode);

        // The ZIP of every download holds the table too, when it is asked for first.
        File.Delete(Path.Combine(results, "tracks.json"));
        using var bundle = new System.IO.Compression.ZipArchive(await Client.GetStreamAsync($"/v1/jobs/{job}/export/all"));
        Assert.Contains("tracks.json", bundle.Entries.Select(e => e.FullName));

        static string Exact(JsonElement track) => string.Join(',', track.EnumerateObject()
            .Where(p => p.Name is not ("has_thumbnail" or "path_length_px" or "mean_confidence")).Select(p => $"{p.Name}={p.Value.GetRawText()}"));
    }

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Submit_CameraMotionOnAStillCamera_GivesTheSameTracksAsWithout()
    {
        var clip = Path.Combine(fixture.Factory.Clips.Path, "track-40.avi");
        var job = await Client.SubmitCompletedAsync(clip, YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId, new Dictionary<string, string> { ["camera_motion"] = "true" });

        var without = MotRows(await Client.GetStringAsync($"/v1/jobs/{fixture.TrackingJob}/export?format=mot"));
        var with = MotRows(await Client.GetStringAsync($"/v1/jobs/{job}/export?format=mot"));

        // vtest's camera does not move: the estimate is (nearly) the identity, so ids match and boxes barely move.
        Assert.Equal(without.Select(r => (r.Frame, r.Id)), with.Select(r => (r.Frame, r.Id)));
        Assert.All(without.Zip(with), p => Assert.True(Math.Abs(p.First.Left - p.Second.Left) < 1 && Math.Abs(p.First.Top - p.Second.Top) < 1, $"{p.First} vs {p.Second}"));
    }

    private static List<(int Frame, int Id, double Left, double Top)> MotRows(string mot) =>
        [.. mot.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(','))
            .Select(f => (int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), double.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), double.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(r => r.Item1).ThenBy(r => r.Item2)];

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task Thumbnail_UnknownTrack_Answers404AndTracksOfAMotionJobAnswer409()
    {
        using var thumbnail = await Client.GetAsync($"/v1/jobs/{fixture.TrackingJob}/tracks/999999/thumbnail");
        using var tracks = await Client.GetAsync($"/v1/jobs/{fixture.MotionJob}/tracks");

        Assert.Equal(HttpStatusCode.NotFound, thumbnail.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, tracks.StatusCode);
    }

    private static MultipartFormDataContent GroundTruth(string text)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "file", "gt.txt");
        return form;
    }
}
