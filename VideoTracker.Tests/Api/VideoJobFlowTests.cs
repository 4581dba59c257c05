namespace VideoTracker.Tests.Api;

/// <summary>Jobs through the real API, queue, worker, SQLite file and OpenCV decoding.</summary>
public sealed class VideoJobFlowTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Submit_TwoJobsOnOneWorker_PassThroughPendingRunningCompletedWithProgressRising()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 20, name: "flow.avi");
        var gate = factory.Plugin.Gated.Gate;

        var first = await _client.SubmitRunningAsync(clip, TestPlugin.PluginId, "gated");
        var second = await _client.SubmitAsync(clip, TestPlugin.PluginId, "gated");

        var waiting = await _client.GetStatusAsync(second);
        Assert.Equal("pending", waiting.Status());
        Assert.Equal(0, waiting.Progress());
        Assert.Equal(1, waiting.GetProperty("queue_position").GetInt32());

        var seen = new List<int>();
        for (var frames = 5; frames <= 15; frames += 5)
        {
            gate.Release(5);
            var status = await _client.WaitForStatusAsync(first, s => s.GetProperty("current_frame").ValueKind == JsonValueKind.Number && s.GetProperty("current_frame").GetInt32() >= frames);
            Assert.Equal("running", status.Status());
            Assert.Equal(20, status.GetProperty("total_frames").GetInt32());
            var progress = (await _client.WaitForStatusAsync(first, s => s.Progress() >= frames * 5)).Progress()!.Value;
            Assert.InRange(progress, frames * 5, 99);
            seen.Add(progress);
        }

        Assert.Equal(seen.Order(), seen);
        Assert.Equal(3, seen.Distinct().Count());
        gate.Release(5);
        var done = await _client.WaitForTerminalAsync(first);
        Assert.Equal("completed", done.Status());
        Assert.Equal(100, done.Progress());
        Assert.NotEqual(JsonValueKind.Null, done.GetProperty("completed_at").ValueKind);

        await _client.WaitForStatusAsync(second, s => s.Status() == "running");
        gate.Release(20);
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(second)).Status());

        var results = await _client.GetJsonAsync($"/v1/video/results/{first}");
        Assert.Equal(first, results.GetProperty("job_id").GetGuid());
        Assert.Equal("gated", results.GetProperty("tool").GetString());
        var frameList = results.GetProperty("results").GetProperty("frames");
        Assert.Equal(20, frameList.GetArrayLength());
        Assert.Equal(Enumerable.Range(0, 20), frameList.EnumerateArray().Select(f => f.GetProperty("frame_index").GetInt32()));
        var summary = results.GetProperty("results").GetProperty("summary");
        Assert.Equal(20, summary.GetProperty("total_frames").GetInt32());
        Assert.Equal(20, summary.GetProperty("processed_frames").GetInt32());
        Assert.Equal(20, summary.GetProperty("total_detections").GetInt32());
        Assert.Equal(20, summary.GetProperty("classes").GetProperty("thing").GetInt32());
        Assert.Equal(2, summary.GetProperty("unique_tracks").GetInt32());
    }

    [Fact]
    public async Task Results_WithFrameOffsetAndLimit_ReturnsThatPageAndTheSummary()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 12, name: "paging.avi");
        factory.Plugin.Gated.Gate.Release(12);
        var job = await _client.SubmitCompletedAsync(clip, TestPlugin.PluginId, "gated");

        var page = await _client.GetJsonAsync($"/v1/video/results/{job}?frame_offset=5&frame_limit=3");

        var frames = page.GetProperty("results").GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("frame_index").GetInt32());
        Assert.Equal([5, 6, 7], frames);
        Assert.Equal(12, page.GetProperty("results").GetProperty("summary").GetProperty("total_frames").GetInt32());
    }

    [Fact]
    public async Task Submit_ToolThrows_JobFailsReadablyAndTheNextJobStillRuns()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 15, name: "throws.avi");

        var broken = await _client.SubmitAsync(clip, TestPlugin.PluginId, "throws");
        var healthy = await _client.SubmitAsync(clip);

        var failed = await _client.WaitForTerminalAsync(broken);
        Assert.Equal("failed", failed.Status());
        var error = failed.GetProperty("error").GetString();
        Assert.Contains("failed unexpectedly", error, StringComparison.Ordinal);
        Assert.DoesNotContain("/secret", error, StringComparison.Ordinal);
        Assert.Equal(30, failed.Progress());

        var done = await _client.WaitForTerminalAsync(healthy);
        Assert.Equal("completed", done.Status());
        Assert.Equal(100, done.Progress());
        var results = await _client.GetJsonAsync($"/v1/video/results/{healthy}");
        var summary = results.GetProperty("results").GetProperty("summary");
        Assert.Equal(15, summary.GetProperty("total_frames").GetInt32());
        Assert.True(summary.GetProperty("total_detections").GetInt32() > 0, "the moving square should be detected as motion");
        Assert.True(summary.GetProperty("classes").GetProperty("motion").GetInt32() > 0);
    }

    [Fact]
    public async Task Submit_HeaderLiesInBothDirections_BothJobsCompleteAt100WithTheRealCount()
    {
        var longer = TestClips.MovingSquare(factory.Clips.Path, frames: 24, name: "header-short.avi");
        TestClips.SetAviHeaderFrameCount(longer, 8);
        var shorter = TestClips.MovingSquare(factory.Clips.Path, frames: 12, name: "header-long.avi");
        TestClips.SetAviHeaderFrameCount(shorter, 40);

        foreach (var (clip, real) in new[] { (longer, 24), (shorter, 12) })
        {
            var job = await _client.SubmitAsync(clip);
            var done = await _client.WaitForTerminalAsync(job);
            Assert.Equal("completed", done.Status());
            Assert.Equal(100, done.Progress());
            var summary = (await _client.GetJsonAsync($"/v1/video/results/{job}")).GetProperty("results").GetProperty("summary");
            Assert.Equal(real, summary.GetProperty("total_frames").GetInt32());
            Assert.Equal(real < 40 && real == 12, summary.GetProperty("decoding_ended_early").GetBoolean());
        }
    }

    [Fact]
    public async Task ListAndDetail_ShowTheSameJobWithItsToolAndFile()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 10, name: "listed.avi");
        var job = await _client.SubmitCompletedAsync(clip, fields: new Dictionary<string, string> { ["min_area"] = "50" });

        var detail = await _client.GetJsonAsync($"/v1/jobs/{job}");
        var list = await _client.GetJsonAsync("/v1/jobs?status=completed&limit=100");

        var listed = list.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("job_id").GetGuid() == job);
        Assert.Equal(detail.GetProperty("progress").GetInt32(), listed.GetProperty("progress").GetInt32());
        Assert.Equal("listed.avi", detail.GetProperty("file_name").GetString());
        Assert.Equal(new FileInfo(clip).Length, detail.GetProperty("file_size_bytes").GetInt64());
        Assert.Equal("opencv-classic", detail.GetProperty("plugin_id").GetString());
        Assert.Equal(50, detail.GetProperty("options").GetProperty("min_area").GetInt32());
        Assert.Equal(500, detail.GetProperty("options").GetProperty("history").GetInt32());
        Assert.All(list.GetProperty("jobs").EnumerateArray(), j => Assert.Equal("completed", j.Status()));
        var created = list.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("created_at").GetDateTime()).ToList();
        Assert.Equal(created.OrderDescending(), created);
    }
}
