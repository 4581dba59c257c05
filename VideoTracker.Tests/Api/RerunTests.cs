using System.Net.Http.Json;

namespace VideoTracker.Tests.Api;

/// <summary>A job run again on its own clip: nothing uploaded again, the options kept or changed, every submit check applied.</summary>
public sealed class RerunTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private Task<Guid> FinishedMotionJobAsync(string name) => _client.SubmitCompletedAsync(
        TestClips.MovingSquare(factory.Clips.Path, frames: 8, name: name),
        fields: new Dictionary<string, string> { ["min_area"] = "700", ["history"] = "50", ["max_frames"] = "6" });

    [Fact]
    public async Task Rerun_WithOneOptionChanged_KeepsTheOthersAndTheClip_AndLeavesTheJobAsItWas()
    {
        var source = await FinishedMotionJobAsync("again.avi");

        using var response = await _client.PostAsJsonAsync($"/v1/jobs/{source}/rerun", new { options = new { min_area = 900 } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var rerun = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job_id").GetGuid();
        Assert.Equal($"/v1/video/status/{rerun}", response.Headers.Location?.ToString());
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(rerun)).Status());
        var (before, after) = (await _client.GetJsonAsync($"/v1/jobs/{source}"), await _client.GetJsonAsync($"/v1/jobs/{rerun}"));
        Assert.Equal((700, 50, 6), Options(before));
        Assert.Equal((900, 50, 6), Options(after));
        Assert.Equal(("opencv-classic", "video_motion_detection", "again.avi"), (after.GetProperty("plugin_id").GetString(), after.GetProperty("tool").GetString(), after.GetProperty("file_name").GetString()));
        Assert.Equal(6, after.GetProperty("results").GetProperty("results").GetProperty("summary").GetProperty("processed_frames").GetInt32());
        Assert.Equal(await ClipAsync(source), await ClipAsync(rerun));
        var audit = (await _client.GetJsonAsync("/v1/audit?limit=500")).GetProperty("entries").EnumerateArray()
            .Single(e => e.GetProperty("job_id").ValueKind == JsonValueKind.String && e.GetProperty("job_id").GetGuid() == rerun);
        Assert.Equal(("job_submitted", $"opencv-classic/video_motion_detection, again from {source}"), (audit.GetProperty("action").GetString(), audit.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Rerun_WithAnotherTool_StartsFromThatToolsDefaults()
    {
        var source = await FinishedMotionJobAsync("other-tool.avi");

        using var response = await _client.PostAsJsonAsync($"/v1/jobs/{source}/rerun", new { tool = "video_people_detection", options = new { max_frames = 2 } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var rerun = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job_id").GetGuid();
        var job = await _client.WaitForTerminalAsync(rerun);
        var options = (await _client.GetJsonAsync($"/v1/jobs/{rerun}")).GetProperty("options");
        Assert.Equal("completed", job.Status());
        Assert.False(options.TryGetProperty("min_area", out _));
        Assert.Equal(2, options.GetProperty("max_frames").GetInt32());
        Assert.Equal(1, options.GetProperty("frame_stride").GetInt32());
    }

    /// <summary>The body, the detail's start and the <c>option</c> member (null where the answer names no option).</summary>
    public static TheoryData<string, string, string?> BadChanges => new()
    {
        { """{"options": {"min_area": 0}}""", "Option 'min_area' must be between 1 and", "min_area" },
        { """{"options": {"webhook_url": "ftp://example.com/hook"}}""", "Option 'webhook_url' is refused", "webhook_url" },
        { """{"options": {"colour": "red"}}""", "Unknown option 'colour'", null },
        { """{"tool": "nope"}""", "Unknown tool 'nope'", null },
        { """{"device": "tpu"}""", "The device 'tpu' is not available", null },
    };

    [Theory]
    [MemberData(nameof(BadChanges))]
    public async Task Rerun_WithABadChange_Is400AndCopiesNothing(string body, string expected, string? option)
    {
        var source = await FinishedMotionJobAsync($"{Guid.NewGuid():N}.avi");
        var folders = JobFolders();

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{source}/rerun") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, problem.Detail(), StringComparison.Ordinal);
        Assert.Equal(option, problem.TryGetProperty("option", out var named) ? named.GetString() : null);
        Assert.Equal(folders, JobFolders());
        var staging = Path.Combine(factory.DataDirectory, "staging");
        Assert.Empty(Directory.Exists(staging) ? Directory.GetFiles(staging) : []);
    }

    [Fact]
    public async Task Rerun_OfAJobWhoseClipIsGone_Is404_AndOfAnUnknownJob_Is404()
    {
        var source = await FinishedMotionJobAsync("gone.avi");
        File.Delete(Directory.GetFiles(Path.Combine(factory.DataDirectory, "jobs", source.ToString("N")), "input.*").Single());

        var (gone, goneProblem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{source}/rerun"));
        var (unknown, unknownProblem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{Guid.NewGuid()}/rerun"));

        Assert.Equal((HttpStatusCode.NotFound, "The clip of this job is no longer on the server."), (gone, goneProblem.Detail()));
        Assert.Equal((HttpStatusCode.NotFound, "Job not found"), (unknown, unknownProblem.Detail()));
    }

    [Fact]
    public async Task Rerun_SharesTheClipByHardLink_AndDeletingTheOldJobKeepsItForTheNewOne()
    {
        var source = await FinishedMotionJobAsync("linked.avi");
        var clip = await ClipAsync(source);

        using var response = await _client.PostAsync($"/v1/jobs/{source}/rerun", null);
        var rerun = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job_id").GetGuid();
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(rerun)).Status());

        Assert.Equal((2, 2), (await LinksAsync(source), await LinksAsync(rerun)));
        using (var deleted = await _client.DeleteAsync($"/v1/jobs/{source}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(1, await LinksAsync(rerun));
        Assert.Equal(clip, await ClipAsync(rerun));
    }

    /// <summary>How many names the job's stored clip has on disk (<c>stat -c %h</c>).</summary>
    private async Task<int> LinksAsync(Guid job)
    {
        var input = Directory.GetFiles(Path.Combine(factory.DataDirectory, "jobs", job.ToString("N")), "input.*").Single();
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%h", input]) { RedirectStandardOutput = true })!;
        var output = await stat.StandardOutput.ReadToEndAsync();
        await stat.WaitForExitAsync();
        return int.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (int MinArea, int History, int MaxFrames) Options(JsonElement job)
    {
        var options = job.GetProperty("options");
        return (options.GetProperty("min_area").GetInt32(), options.GetProperty("history").GetInt32(), options.GetProperty("max_frames").GetInt32());
    }

    private async Task<byte[]> ClipAsync(Guid job) => await _client.GetByteArrayAsync($"/v1/jobs/{job}/video");

    private string[] JobFolders() => [.. Directory.GetDirectories(Path.Combine(factory.DataDirectory, "jobs")).Order(StringComparer.Ordinal)];
}
