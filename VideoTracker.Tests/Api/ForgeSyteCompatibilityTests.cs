using System.Net.Http.Headers;

namespace VideoTracker.Tests.Api;

/// <summary>
/// The fields ForgeSyte v0.9.6's web client reads, one test per row of issue #13's table, and the client's
/// whole flow replayed request by request.
/// </summary>
public sealed class ForgeSyteCompatibilityTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    // Row 1: GET /v1/plugins, {plugins: [...]}, each plugin's name used as its id, version shown.
    [Fact]
    public async Task ListPlugins_AsForgeSyteReadsThem_NameIsTheIdAndVersionAndTitleAreThere()
    {
        var registry = factory.Services.GetRequiredService<PluginRegistry>();

        var plugins = (await _client.GetJsonAsync("/v1/plugins")).GetProperty("plugins").EnumerateArray().ToList();

        Assert.Equal(registry.Plugins.Select(p => p.Id).Order(), plugins.Select(p => p.GetProperty("name").GetString()).Order());
        foreach (var plugin in plugins)
        {
            var source = registry.FindPlugin(plugin.GetProperty("name").GetString());
            Assert.NotNull(source);
            Assert.Equal(source.Id, plugin.GetProperty("id").GetString());
            Assert.Equal(source.Version, plugin.GetProperty("version").GetString());
            Assert.Equal(source.Title, plugin.GetProperty("title").GetString());
            Assert.Equal(source.Description, plugin.GetProperty("description").GetString());
        }

        Assert.Contains(plugins, p => p.GetProperty("name").GetString() == "opencv-classic" && p.GetProperty("title").GetString() == "OpenCV classic");
    }

    // Row 2: GET /v1/plugins/{id}/manifest, {tools: [...]}, the first tool whose input_types holds "video".
    [Fact]
    public async Task GetManifest_KnownPlugin_ListsToolsWithInputTypesAndOptionsKeyedByName()
    {
        var source = factory.Services.GetRequiredService<PluginRegistry>().FindPlugin(TestPlugin.PluginId)!;

        var manifest = await _client.GetJsonAsync($"/v1/plugins/{TestPlugin.PluginId}/manifest");

        Assert.Equal(TestPlugin.PluginId, manifest.GetProperty("id").GetString());
        Assert.Equal(TestPlugin.PluginId, manifest.GetProperty("name").GetString());
        Assert.Equal(source.Version, manifest.GetProperty("version").GetString());
        Assert.Equal(source.Description, manifest.GetProperty("description").GetString());
        var tools = manifest.GetProperty("tools").EnumerateArray().ToList();
        Assert.Equal(source.Tools.Select(t => t.Manifest.Id), tools.Select(t => t.GetProperty("id").GetString()));
        var imageOnly = tools.Single(t => t.GetProperty("id").GetString() == "image_only");
        Assert.Equal(["image"], imageOnly.GetProperty("input_types").EnumerateArray().Select(i => i.GetString()));
        var firstVideoTool = tools.First(t => t.GetProperty("input_types").EnumerateArray().Any(i => i.GetString() == "video"));
        Assert.Equal("gated", firstVideoTool.GetProperty("id").GetString());
        Assert.Equal("Gated", firstVideoTool.GetProperty("title").GetString());
        var stride = firstVideoTool.GetProperty("inputs").GetProperty("frame_stride");
        Assert.Equal("integer", stride.GetProperty("type").GetString());
        Assert.Equal(1, stride.GetProperty("default").GetInt32());
        Assert.Equal(1, stride.GetProperty("minimum").GetDouble());
        Assert.Equal(1000, stride.GetProperty("maximum").GetDouble());
        Assert.Equal(JsonValueKind.Object, firstVideoTool.GetProperty("outputs").ValueKind);
        Assert.True(firstVideoTool.GetProperty("outputs").TryGetProperty("frames", out _));
    }

    [Fact]
    public async Task GetManifest_UnknownPlugin_Is404WithDetail()
    {
        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/plugins/nope/manifest"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Unknown plugin 'nope'", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains("opencv-classic", problem.Detail(), StringComparison.Ordinal);
    }

    // Row 3: POST /v1/video/submit?plugin_id=…&tool=… with only the file in the form; the client reads job_id.
    [Fact]
    public async Task Submit_PluginAndToolInQueryString_AcceptsAndAnswersJobId()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 4, name: "row3.avi");
        var client = new ForgeSyteWebClient(_client);

        var accepted = await client.SubmitVideoAsync(clip, "opencv-classic", "video_motion_detection");

        Assert.Equal(HttpStatusCode.Accepted, client.Responses.Single().StatusCode);
        var job = accepted.GetProperty("job_id").GetGuid();
        var detail = await _client.GetJsonAsync($"/v1/jobs/{job}");
        Assert.Equal("opencv-classic", detail.GetProperty("plugin_id").GetString());
        Assert.Equal("video_motion_detection", detail.GetProperty("tool").GetString());
        await _client.WaitForTerminalAsync(job);
    }

    // Row 4: GET /v1/jobs/{id}: status, progress (number or null), error, and results once completed.
    [Fact]
    public async Task GetJob_UntilCompleted_ResultsIsNullThenSummaryAndLinks()
    {
        var job = await factory.SubmitGatedToFrameAsync(_client, TestClips.MovingSquare(factory.Clips.Path, frames: 6, name: "row4.avi"), frames: 2);

        var running = await _client.GetJsonAsync($"/v1/jobs/{job}");
        factory.Plugin.Gated.Gate.Release(4);
        await _client.WaitForTerminalAsync(job);
        var completed = await _client.GetJsonAsync($"/v1/jobs/{job}");

        Assert.Equal("running", running.Status());
        Assert.Equal(JsonValueKind.Number, running.GetProperty("progress").ValueKind);
        Assert.Equal(JsonValueKind.Null, running.GetProperty("results").ValueKind);
        Assert.Equal(JsonValueKind.Null, running.GetProperty("error").ValueKind);
        Assert.Equal("completed", completed.Status());
        Assert.Equal(100, completed.Progress());
        var results = completed.GetProperty("results");
        Assert.Equal(TestPlugin.PluginId, results.GetProperty("plugin_id").GetString());
        Assert.Equal("gated", results.GetProperty("tool").GetString());
        var body = results.GetProperty("results");
        Assert.Equal(6, body.GetProperty("summary").GetProperty("processed_frames").GetInt32());
        Assert.Equal(6, body.GetProperty("summary").GetProperty("total_detections").GetInt64());
        Assert.Equal($"/v1/video/results/{job}", body.GetProperty("frames_url").GetString());
        Assert.False(body.TryGetProperty("frames", out _));
        var exports = body.GetProperty("exports");
        foreach (var format in new[] { "json", "csv", "mot" })
        {
            using var download = await _client.GetAsync(exports.GetProperty(format).GetString());
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        }

        var frames = await _client.GetJsonAsync(body.GetProperty("frames_url").GetString()!);
        Assert.Equal(6, frames.GetProperty("results").GetProperty("frames").GetArrayLength());
        var listed = (await _client.GetJsonAsync("/v1/jobs?limit=500")).GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("job_id").GetGuid() == job);
        Assert.Equal(body.GetProperty("frames_url").GetString(), listed.GetProperty("results").GetProperty("results").GetProperty("frames_url").GetString());
    }

    [Fact]
    public async Task GetJob_Failed_ErrorSaysWhyAndResultsIsNull()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 4, name: "row4-failed.avi");
        var job = await _client.SubmitAsync(clip, TestPlugin.PluginId, "throws");
        await _client.WaitForTerminalAsync(job);

        var failed = await _client.GetJsonAsync($"/v1/jobs/{job}");

        Assert.Equal("failed", failed.Status());
        Assert.False(string.IsNullOrWhiteSpace(failed.GetProperty("error").GetString()));
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("results").ValueKind);
    }

    // Row 3 of "What to build": the seed's results response has created_at and updated_at.
    [Fact]
    public async Task GetVideoResults_Completed_CarriesCreatedAtAndUpdatedAt()
    {
        var job = await _client.SubmitCompletedAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 4, name: "results-times.avi"));
        var detail = await _client.GetJsonAsync($"/v1/jobs/{job}");

        var results = await _client.GetJsonAsync($"/v1/video/results/{job}");

        Assert.Equal(job, results.GetProperty("job_id").GetGuid());
        Assert.Equal(detail.GetProperty("created_at").GetDateTime(), results.GetProperty("created_at").GetDateTime());
        Assert.Equal(detail.GetProperty("updated_at").GetDateTime(), results.GetProperty("updated_at").GetDateTime());
        Assert.True(results.GetProperty("updated_at").GetDateTime() >= results.GetProperty("created_at").GetDateTime());
    }

    // Row 5: an error's detail is readable by a client that only trusts application/json.
    [Theory]
    [InlineData("/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301", HttpStatusCode.NotFound, "Job not found")]
    [InlineData("/v1/jobs/not-a-guid", HttpStatusCode.BadRequest, "is not a valid job id")]
    [InlineData("/v1/no-such-endpoint", HttpStatusCode.NotFound, "Not Found")]
    public async Task Errors_PlainJsonClient_GetApplicationJsonWithDetail(string url, HttpStatusCode expected, string detail)
    {
        using var response = await _client.GetAsync(url);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, body.Detail(), StringComparison.Ordinal);
        Assert.Equal((int)expected, body.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("application/problem+json")]
    [InlineData("application/json, application/problem+json;q=0.9")]
    public async Task Errors_ClientAsksForProblemJson_GetsProblemJsonWithTheSameBody(string accept)
    {
        const string url = "/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301";
        using var plain = await _client.GetAsync(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);

        using var problem = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, problem.StatusCode);
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await plain.Content.ReadAsStringAsync(), await problem.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FetchJob_UnknownId_TheClientShowsTheDetail()
    {
        var client = new ForgeSyteWebClient(_client);

        var error = await Assert.ThrowsAsync<ForgeSyteClientException>(() => client.FetchAsync($"/jobs/{Guid.NewGuid()}"));

        Assert.Equal("Job not found", error.Message);
    }

    // Row 6: GET /v1/jobs?limit=&skip= pages.
    [Fact]
    public async Task ListJobs_Skip_PagesLikeOffset()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 2, name: "row6.avi");
        for (var i = 0; i < 3; i++)
        {
            await _client.WaitForTerminalAsync(await _client.SubmitAsync(clip));
        }

        var all = Ids(await _client.GetJsonAsync("/v1/jobs?limit=500"));
        var bySkip = await _client.GetJsonAsync("/v1/jobs?limit=2&skip=1");
        var byOffset = await _client.GetJsonAsync("/v1/jobs?limit=2&offset=1");

        Assert.Equal(all.Skip(1).Take(2), Ids(bySkip));
        Assert.Equal(Ids(byOffset), Ids(bySkip));
        Assert.Equal(all.Count, bySkip.GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("skip=-1", "skip must be a whole number from 0 to 2147483647.")]
    [InlineData("offset=1&skip=2", "offset and skip are the same setting")]
    public async Task ListJobs_BadSkip_Is400WithDetail(string query, string detail)
    {
        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs?{query}"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(detail, problem.Detail(), StringComparison.Ordinal);
    }

    // The whole v0.9.6 flow: plugins → manifest → first video tool → submit → poll until results.
    [Fact]
    public async Task ForgeSyteWebClient_ReplayedRequestByRequest_ShowsResultsAndStopsPolling()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 12, name: "replay.avi");
        var client = new ForgeSyteWebClient(_client);

        var outcome = await ForgeSyteFlow.RunAsync(client, "opencv-classic", clip, TimeSpan.FromMilliseconds(50));

        Assert.Equal("video_motion_detection", outcome.Tool);
        Assert.Equal("completed", outcome.Job.Status());
        Assert.Equal(12, outcome.Job.GetProperty("results").GetProperty("results").GetProperty("summary").GetProperty("processed_frames").GetInt32());
        Assert.All(client.Responses, r => Assert.True(r.IsSuccessStatusCode));
        Assert.Equal(outcome.Polls + 3, client.Responses.Count); // plugins, manifest, submit, then the polls and nothing after
    }

    private static List<Guid> Ids(JsonElement page) => [.. page.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("job_id").GetGuid())];
}
