using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Detection;

/// <summary>The app with the shared model, one worker, and a folder for clips.</summary>
public sealed class DetectionAppFactory : VideoTrackerAppFactory
{
    public DetectionAppFactory()
    {
        Settings["Jobs:Workers"] = "1";
        Settings["Detection:ModelPath"] = TestClips.ModelPath;
    }
}

/// <summary>Detection jobs end to end: API, queue, SQLite, real decoding, the real model, exports and videos.</summary>
public sealed class DetectionApiTests(DetectionAppFactory factory) : IClassFixture<DetectionAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [SharedAssetFact(SharedAsset.Model | SharedAsset.Sample)]
    public async Task PlayerTracking_60FrameCutOfVtest_CompletesWithProgressRisingTo100AndTrackIds()
    {
        var clip = SampleClips.VtestCut(factory.Clips.Path, 60, "tracking-60.avi");

        var job = await _client.SubmitAsync(clip, YoloTrackerPlugin.PluginId, YoloTool.PlayerTrackingId, new Dictionary<string, string> { ["annotated"] = "true" });
        var seen = new List<int>();
        var done = await _client.WaitForStatusAsync(job, s =>
        {
            if (s.Progress() is { } p)
            {
                seen.Add(p);
            }

            return s.Status() is "completed" or "failed" or "cancelled";
        }, timeoutSeconds: 120);

        Assert.True(done.Status() == "completed", done.ToString());
        Assert.Equal(100, done.Progress());
        Assert.Equal(seen.Order(), seen);
        Assert.Contains(seen, p => p is > 0 and < 100);

        var results = await _client.GetJsonAsync($"/v1/video/results/{job}");
        var frames = Frames(results);
        Assert.Equal(Enumerable.Range(0, 60), frames.Select(f => f.FrameIndex));
        var boxes = frames.SelectMany(f => f.Detections).ToList();
        Assert.NotEmpty(boxes);
        Assert.All(boxes, d => Assert.True(d.TrackId > 0));
        Assert.All(boxes, d => Assert.Equal("person", d.ClassName));
        var summary = results.GetProperty("results").GetProperty("summary");
        Assert.Equal(60, summary.GetProperty("total_frames").GetInt32());
        Assert.Equal(boxes.Select(d => d.TrackId).Distinct().Count(), summary.GetProperty("unique_tracks").GetInt32());
        Assert.Equal(AnnotatedVideo.FileName, summary.GetProperty("annotated_video").GetString());

        await AssertAnnotatedVideoAsync(job, frames: 60);
        await AssertCsvExportMatchesAsync(job, frames);
        await AssertMotExportMatchesAsync(job, frames);
    }

    [Fact]
    public async Task Annotated_NotRequested_Is404WithADetail()
    {
        var job = await _client.SubmitCompletedAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 10, name: "no-annotation.avi"));

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{job}/annotated"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("annotated=true", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_OfAnMjpegUpload_IsAnH264Mp4WithEveryFrameAndIsCached()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 24, name: "preview.avi");
        var job = await _client.SubmitAsync(clip);

        using var response = await _client.GetAsync($"/v1/jobs/{job}/preview");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        var path = Path.Combine(factory.Clips.Path, $"preview-{job:N}.mp4");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path), 4, 4));
        Assert.Equal(24, SampleClips.CountDecodedFrames(path));

        var cached = Path.Combine(factory.DataDirectory, "jobs", job.ToString("N"), "preview.mp4");
        Assert.True(File.Exists(cached));
        var written = File.GetLastWriteTimeUtc(cached);
        using var again = await _client.GetAsync($"/v1/jobs/{job}/preview");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(written, File.GetLastWriteTimeUtc(cached));
    }

    [Fact]
    public async Task Preview_UnknownJob_Is404()
    {
        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{Guid.NewGuid()}/preview"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Job not found", problem.Detail());
    }

    [SharedAssetFact(SharedAsset.Model)]
    public async Task Submit_CudaWhereThereIsNoCuda_Is400NamingTheAvailableDevices()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: "cuda.avi");
        using var form = ApiClient.SubmitForm(clip, YoloTrackerPlugin.PluginId, YoloTool.PlayerDetectionId, new Dictionary<string, string> { ["device"] = "cuda" });

        using var response = await _client.PostAsync("/v1/video/submit", form);

        var devices = (await _client.GetJsonAsync("/v1/plugins")).GetProperty("devices").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.Contains("cpu", devices);
        if (devices.Contains("cuda"))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Detail();
        Assert.Contains("Available devices: cpu", detail, StringComparison.Ordinal);
    }

    [SharedAssetFact(SharedAsset.Model)]
    public async Task Submit_ConfidenceOutOfRange_Is400()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: "range.avi");
        using var form = ApiClient.SubmitForm(clip, YoloTrackerPlugin.PluginId, YoloTool.BallDetectionId, new Dictionary<string, string> { ["confidence"] = "1.5" });

        using var response = await _client.PostAsync("/v1/video/submit", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("confidence", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task AssertAnnotatedVideoAsync(Guid job, int frames)
    {
        using var response = await _client.GetAsync($"/v1/jobs/{job}/annotated");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        var path = Path.Combine(factory.Clips.Path, $"annotated-{job:N}.mp4");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(frames, SampleClips.CountDecodedFrames(path));
    }

    private async Task AssertCsvExportMatchesAsync(Guid job, List<FrameDetections> frames)
    {
        var csv = await _client.GetStringAsync($"/v1/jobs/{job}/export?format=csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(VideoTracker.Core.Export.CsvExporter.Header, lines[0]);
        var expected = frames.SelectMany(f => f.Detections.Select(d => (f.FrameIndex, f.TimestampMs, d))).ToList();
        Assert.Equal(expected.Count, lines.Length - 1);
        for (var i = 0; i < expected.Count; i++)
        {
            var c = lines[i + 1].Split(',');
            var (index, timestamp, d) = expected[i];
            Assert.Equal(index, int.Parse(c[0], CultureInfo.InvariantCulture));
            Assert.Equal(timestamp, double.Parse(c[1], CultureInfo.InvariantCulture));
            Assert.Equal(d.TrackId, int.Parse(c[2], CultureInfo.InvariantCulture));
            Assert.Equal(d.ClassName, c[3]);
            Assert.Equal(d.Confidence, float.Parse(c[4], CultureInfo.InvariantCulture));
            Assert.Equal([d.X1, d.Y1, d.X2, d.Y2], c[5..9].Select(v => float.Parse(v, CultureInfo.InvariantCulture)));
        }
    }

    private async Task AssertMotExportMatchesAsync(Guid job, List<FrameDetections> frames)
    {
        var mot = await _client.GetStringAsync($"/v1/jobs/{job}/export?format=mot");
        var rows = mot.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        var expected = frames.SelectMany(f => f.Detections.Select(d => (f.FrameIndex, d))).ToList();
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var r = rows[i];
            var (index, d) = expected[i];
            Assert.Equal(10, r.Length);
            Assert.Equal(index + 1, int.Parse(r[0], CultureInfo.InvariantCulture));
            Assert.Equal(d.TrackId, int.Parse(r[1], CultureInfo.InvariantCulture));
            var (left, top, width, height) = (F(r[2]), F(r[3]), F(r[4]), F(r[5]));
            Assert.Equal(d.X1, left, 3);
            Assert.Equal(d.Y1, top, 3);
            Assert.Equal(d.X2, left + width, 3);
            Assert.Equal(d.Y2, top + height, 3);
            Assert.Equal(d.Confidence, F(r[6]));
            Assert.Equal(["-1", "-1", "-1"], r[7..]);
        }

        static float F(string v) => float.Parse(v, CultureInfo.InvariantCulture);
    }

    private static List<FrameDetections> Frames(JsonElement results) =>
        [.. results.GetProperty("results").GetProperty("frames").EnumerateArray().Select(f => ResultsReader.ParseFrame(f.GetRawText()))];
}

/// <summary>The app on a server without ffmpeg.</summary>
public sealed class NoFfmpegAppFactory : VideoTrackerAppFactory
{
    public NoFfmpegAppFactory()
    {
        Settings["Detection:FfmpegPath"] = "/nonexistent/ffmpeg";
        Settings["Detection:ModelPath"] = TestClips.ModelPath;
    }
}

/// <summary>Without ffmpeg, jobs still complete and the video endpoints say why there is no video.</summary>
public sealed class WithoutFfmpegTests(NoFfmpegAppFactory factory) : IClassFixture<NoFfmpegAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Preview_WithoutFfmpeg_Is503WithADetail()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: "preview.avi");
        var job = await _client.SubmitAsync(clip);

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{job}/preview"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("ffmpeg", problem.Detail(), StringComparison.Ordinal);
    }

    [SharedAssetFact(SharedAsset.Model)]
    public async Task AnnotatedJob_WithoutFfmpeg_CompletesAndTheSummarySaysWhy()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: "annotated.avi");
        var job = await _client.SubmitAsync(clip, YoloTrackerPlugin.PluginId, YoloTool.PlayerDetectionId, new Dictionary<string, string> { ["annotated"] = "true" });

        Assert.Equal("completed", (await _client.WaitForTerminalAsync(job)).Status());
        var summary = (await _client.GetJsonAsync($"/v1/video/results/{job}")).GetProperty("results").GetProperty("summary");
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("annotated_video").ValueKind);
        Assert.Contains("ffmpeg", summary.GetProperty("extra").GetProperty("annotated_video_error").GetString(), StringComparison.Ordinal);
        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{job}/annotated"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("ffmpeg", problem.Detail(), StringComparison.Ordinal);
    }
}
