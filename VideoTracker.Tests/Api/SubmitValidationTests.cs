using System.Net.Http.Headers;

namespace VideoTracker.Tests.Api;

/// <summary>Every refusal at submit and lookup: a precise status, a JSON detail, and nothing left behind.</summary>
public sealed class SubmitValidationTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private string Clip => TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: "valid.avi");

    public static TheoryData<string?, string?, string?, string> BadTools => new()
    {
        { "nope", "video_motion_detection", null, "Unknown plugin 'nope'" },
        { "opencv-classic", "nope", null, "Unknown tool 'nope'" },
        { "opencv-classic", "video_motion_detection", "tpu", "The device 'tpu' is not available on this server. Available devices: cpu" },
        { TestPlugin.PluginId, "image_only", null, "does not take video" },
        { TestPlugin.PluginId, "unavailable", null, "the widget model is not installed" },
        { null, "video_motion_detection", null, "'plugin_id' is required" },
        { "opencv-classic", null, null, "'tool' is required" },
    };

    [Theory]
    [MemberData(nameof(BadTools))]
    public async Task Submit_BadPluginToolOrDevice_Returns400WithPreciseDetail(string? plugin, string? tool, string? device, string expected)
    {
        var fields = device is null ? null : new Dictionary<string, string> { ["device"] = device };
        using var form = ApiClient.SubmitForm(Clip, plugin, tool, fields);

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = form });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, problem.Detail(), StringComparison.Ordinal);
        await AssertNothingLeftBehindAsync();
    }

    /// <summary>A bad value of a declared option names it in an <c>option</c> member too; an unknown option has none.</summary>
    public static TheoryData<string, string, string, string?> BadOptions => new()
    {
        { "min_area", "0", "must be between 1 and", "min_area" },
        { "frame_stride", "abc", "must be a whole number", "frame_stride" },
        { "max_frames", "99999999999", "Option 'max_frames' must be between", "max_frames" },
        { "min_area", "99999999999999999999999", "Option 'min_area' must be between 1 and", "min_area" },
        { "var_threshold", "NaN", "must be a number", "var_threshold" },
        { "var_threshold", "20,5", "Option 'var_threshold' must be a number written with a decimal point and no thousands separator, not '20,5'.", "var_threshold" },
        { "colour", "red", "Unknown option 'colour'", null },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Submit_OptionOutOfRangeOrUnknown_Returns400(string name, string value, string expected, string? option)
    {
        using var form = ApiClient.SubmitForm(Clip, fields: new Dictionary<string, string> { [name] = value });

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = form });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, problem.Detail(), StringComparison.Ordinal);
        Assert.Equal(option, problem.TryGetProperty("option", out var named) ? named.GetString() : null);
        await AssertNothingLeftBehindAsync();
    }

    public static TheoryData<string, byte[], string> BadFiles => new()
    {
        { "empty.mp4", [], "empty" },
        { "random.mp4", Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7919 % 256)).ToArray(), "not a video" },
        { "notes.txt", "just some text, not a video\n"u8.ToArray(), "not a video" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Submit_FileThatIsNotAVideo_Returns400(string name, byte[] bytes, string expected)
    {
        var path = Path.Combine(factory.Clips.Path, name);
        File.WriteAllBytes(path, bytes);
        using var form = ApiClient.SubmitForm(path);

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = form });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, problem.Detail(), StringComparison.Ordinal);
        await AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task Submit_ContainerOpensButFirstFrameDoesNotDecode_Returns400SayingTheFileIsDamaged()
    {
        var path = TestClips.MovingSquare(factory.Clips.Path, frames: 10, name: "broken.avi");
        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(bytes.AsSpan().IndexOf("movi"u8) + 4).Clear();
        File.WriteAllBytes(path, bytes);
        using var form = ApiClient.SubmitForm(path);

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = form });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The file is damaged: its video (MJPEG) opens, but its first frames do not decode.", problem.Detail());
        await AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task Submit_FramesOverTheLimit_Returns400NamingTheSizeBeforeDecoding()
    {
        // One grey MJPEG frame of 9000x5000 (45 megapixels) is a 100 KB file that would decode to 135 MB of BGR.
        var path = Path.Combine(factory.Clips.Path, "huge.avi");
        await VariableFrameRateClip.RunAsync(
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:size=9000x5000:rate=1",
            "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "31", path);

        var (status, detail) = await _client.SubmitForRefusalAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The video's frames are 9000x5000 pixels; this server takes at most 35.4 megapixels (8192x4320, 8K).", detail);
        await AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task Submit_MissingFile_Returns400()
    {
        using var form = ApiClient.SubmitForm(null);

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = form });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'file' is required", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_NotMultipart_Returns400()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = new StringContent("{}", new MediaTypeHeaderValue("application/json")) };

        var (status, problem) = await _client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("multipart/form-data", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_PluginToolAndAnOptionAsQueryParameters_AreTheJobs()
    {
        using var form = ApiClient.SubmitForm(Clip, pluginId: null, tool: null);

        using var response = await _client.PostAsync("/v1/video/submit?plugin_id=opencv-classic&tool=video_motion_detection&min_area=900", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = await AcceptedJobIdAsync(response);
        Assert.Equal($"/v1/video/status/{id}", response.Headers.Location?.ToString());
        var job = await _client.GetJsonAsync($"/v1/jobs/{id}");
        Assert.Equal(900, job.GetProperty("options").GetProperty("min_area").GetInt32());
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(id)).Status());
    }

    public static TheoryData<string, string, string?> RepeatedFields => new()
    {
        { "", "min_area", "900" },
        { "", "tool", "video_people_detection" },
        { "?min_area=800", "min_area", null },
        { "?tool=video_people_detection", "tool", null },
        { "?min_area=800&min_area=900", "min_area", null },
    };

    [Theory]
    [MemberData(nameof(RepeatedFields))]
    public async Task Submit_FieldGivenTwiceWithDifferentValues_Returns400(string query, string field, string? again)
    {
        using var form = ApiClient.SubmitForm(Clip, fields: new Dictionary<string, string> { ["min_area"] = "700" });
        if (again is not null)
        {
            form.Add(new StringContent(again), field);
        }

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit" + query) { Content = form });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"The field '{field}' is given more than once, with different values: send it once.", problem.Detail());
        await AssertNothingLeftBehindAsync();
    }

    [Fact]
    public async Task Submit_FieldRepeatedWithTheSameValueOrBlank_IsAccepted()
    {
        using var form = ApiClient.SubmitForm(Clip, fields: new Dictionary<string, string> { ["min_area"] = "700" });
        form.Add(new StringContent(""), "min_area");
        form.Add(new StringContent("opencv-classic"), "plugin_id");

        using var response = await _client.PostAsync("/v1/video/submit?min_area=700&tool=video_motion_detection", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = await AcceptedJobIdAsync(response);
        Assert.Equal(700, (await _client.GetJsonAsync($"/v1/jobs/{id}")).GetProperty("options").GetProperty("min_area").GetInt32());
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(id)).Status());
    }

    [Theory]
    [InlineData("/v1/video/status/not-a-guid")]
    [InlineData("/v1/video/results/123")]
    [InlineData("/v1/jobs/zzz")]
    [InlineData("/v1/jobs/zzz/export?format=csv")]
    [InlineData("/v1/jobs/zzz/series?buckets=0")]            // a value out of its range too: the id is answered first
    [InlineData("/v1/jobs/zzz/series?buckets=abc")]          // a value that does not bind: the id is answered first
    [InlineData("/v1/video/results/123?frame_limit=0")]
    public async Task Lookup_MalformedJobId_Returns400(string url)
    {
        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, url));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not a valid job id", problem.Detail(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/video/status/{0}")]
    [InlineData("/v1/video/results/{0}")]
    [InlineData("/v1/jobs/{0}")]
    [InlineData("/v1/jobs/{0}/video")]
    public async Task Lookup_UnknownJobId_Returns404JobNotFound(string url)
    {
        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, string.Format(url, Guid.NewGuid())));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Job not found", problem.Detail());
    }

    [Fact]
    public async Task Results_JobNotCompleted_Returns409WithItsStatus()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 6, name: "conflict.avi");
        var job = await _client.SubmitRunningAsync(clip, TestPlugin.PluginId, "gated");

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/video/results/{job}"));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("running", problem.JobConflictStatus());
        Assert.Contains("results are available once it is completed", problem.Detail(), StringComparison.Ordinal);
        factory.Plugin.Gated.Gate.Release(6);
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(job)).Status());
    }

    [Fact]
    public async Task Exports_OfACompletedJob_ParseBackToTheSameDetections()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 6, name: "export.avi");
        factory.Plugin.Gated.Gate.Release(6);
        var job = await _client.SubmitAsync(clip, TestPlugin.PluginId, "gated");
        await _client.WaitForTerminalAsync(job);

        using var csv = await _client.GetAsync($"/v1/jobs/{job}/export?format=csv");
        using var mot = await _client.GetAsync($"/v1/jobs/{job}/export?format=mot");
        var csvLines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var motLines = (await mot.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("frame_index,timestamp_ms,track_id,class_name,confidence,x1,y1,x2,y2,interpolated", csvLines[0]);
        Assert.Equal(6, csvLines.Length - 1);
        Assert.Equal("3,300,1,thing,0.9,1,2,30,40,false", csvLines[4]);
        Assert.Equal(6, motLines.Length);
        Assert.Equal("4,1,1,2,29,38,0.9,-1,-1,-1", motLines[3]);
    }

    private static async Task<Guid> AcceptedJobIdAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetGuid();

    private async Task AssertNothingLeftBehindAsync()
    {
        var staging = Path.Combine(factory.DataDirectory, "staging");
        Assert.Empty(Directory.Exists(staging) ? Directory.GetFiles(staging) : []);
        var jobs = await _client.GetJsonAsync("/v1/jobs?limit=500");
        var ids = jobs.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("job_id").GetGuid().ToString("N")).ToHashSet();
        var folders = Directory.GetDirectories(Path.Combine(factory.DataDirectory, "jobs")).Select(Path.GetFileName);
        Assert.All(folders, f => Assert.Contains(f!, ids));
    }
}
