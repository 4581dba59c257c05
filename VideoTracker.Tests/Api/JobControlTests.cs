namespace VideoTracker.Tests.Api;

public sealed class JobControlTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Cancel_RunningJob_StopsWithinOneFrameAndRemovesPartialOutputs()
    {
        var job = await factory.SubmitGatedToFrameAsync(_client, TestClips.MovingSquare(factory.Clips.Path, frames: 40, name: "cancel-running.avi"), frames: 10);
        var partial = Path.Combine(factory.DataDirectory, "jobs", job.ToString("N"), "results.partial");
        Assert.True(Directory.Exists(partial));

        using var response = await _client.PostAsync($"/v1/jobs/{job}/cancel", null);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", body.Status());
        Assert.Equal(25, body.Progress());
        Assert.False(Directory.Exists(partial));
        Assert.False(Directory.Exists(Path.Combine(factory.DataDirectory, "jobs", job.ToString("N"), "results")));
        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/video/results/{job}"));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("cancelled", problem.JobConflictStatus());
        Assert.Equal("The job ended as cancelled, so it has no results.", problem.Detail());
    }

    [Fact]
    public async Task Cancel_PendingJob_CancelsItWithoutRunningIt()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: "cancel-pending.avi");
        var blocker = await _client.SubmitRunningAsync(clip, TestPlugin.PluginId, "gated");
        var waiting = await _client.SubmitAsync(clip);

        using var response = await _client.PostAsync($"/v1/jobs/{waiting}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        factory.Plugin.Gated.Gate.Release(5);
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(blocker)).Status());
        var after = await _client.GetStatusAsync(waiting);
        Assert.Equal("cancelled", after.Status());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("started_at").ValueKind);
    }

    [Fact]
    public async Task CancelAndDelete_TerminalJob_CancelIs409DeleteRemovesRowAndFiles()
    {
        var job = await _client.SubmitCompletedAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: "delete.avi"));
        var folder = Path.Combine(factory.DataDirectory, "jobs", job.ToString("N"));
        Assert.True(Directory.Exists(folder));

        var (cancelStatus, cancelProblem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{job}/cancel"));
        using var deleted = await _client.DeleteAsync($"/v1/jobs/{job}");
        using var again = await _client.GetAsync($"/v1/jobs/{job}");

        Assert.Equal(HttpStatusCode.Conflict, cancelStatus);
        Assert.Equal("completed", cancelProblem.JobConflictStatus());
        Assert.Equal("The job already ended as completed; there is nothing to cancel.", cancelProblem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Delete_ActiveJob_Is409AndTouchesNothing()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 4, name: "delete-active.avi");
        var job = await _client.SubmitRunningAsync(clip, TestPlugin.PluginId, "gated");

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/jobs/{job}"));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("running", problem.JobConflictStatus());
        Assert.Equal("The job is running: cancel it or wait until it ends before deleting it.", problem.GetProperty("detail").GetString());
        factory.Plugin.Gated.Gate.Release(4);
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(job)).Status());
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "jobs", job.ToString("N"), "results", "summary.json")));
    }

    [Fact]
    public async Task Cancel_RequestedOnTheRowByAnotherNode_WorkerSeesItAtItsHeartbeatAndStops()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 40, name: "cancel-row.avi");
        var job = await _client.SubmitAsync(clip, TestPlugin.PluginId, "gated");
        factory.Plugin.Gated.Gate.Release(3);
        await _client.WaitForStatusAsync(job, s => s.Status() == "running");
        var asked = DateTime.UtcNow;

        // What a cancel on another node leaves behind: only the row knows.
        await factory.ExecuteSqlAsync("UPDATE jobs SET cancel_requested_at = $now WHERE job_id = $id", job, ("$now", asked));
        var after = await _client.WaitForTerminalAsync(job, timeoutSeconds: 10);

        Assert.Equal("cancelled", after.Status());
        Assert.Equal("Cancelled by request.", after.GetProperty("error").GetString());
        Assert.InRange((after.GetProperty("completed_at").GetDateTime() - asked).TotalSeconds, 0, 5);
        Assert.False(Directory.Exists(Path.Combine(factory.DataDirectory, "jobs", job.ToString("N"), "results.partial")));
    }

    [Fact]
    public async Task Status_RunningJob_ShowsTheCountersTheHeartbeatWroteToTheRowAndTheWorker()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 40, name: "live.avi");
        var job = await _client.SubmitAsync(clip, TestPlugin.PluginId, "gated");
        factory.Plugin.Gated.Gate.Release(3);

        // 3 of 40 frames is inside the first 5 % step: only a heartbeat writes frame 3.
        var live = await _client.WaitForStatusAsync(job, s => s.TryGetProperty("current_frame", out var f) && f.ValueKind == JsonValueKind.Number && f.GetInt32() == 3, timeoutSeconds: 10);
        var detail = await _client.GetJsonAsync($"/v1/jobs/{job}");
        factory.Plugin.Gated.Gate.Release(37);
        var done = await _client.WaitForTerminalAsync(job);
        var finished = await _client.GetJsonAsync($"/v1/jobs/{job}");

        Assert.Equal("running", live.Status());
        Assert.Equal(40, live.GetProperty("total_frames").GetInt32());
        Assert.Equal(5, live.Progress());
        Assert.Equal($"{Environment.MachineName}-{Environment.ProcessId}", detail.GetProperty("worker").GetString());
        Assert.Equal("completed", done.Status());
        Assert.Equal(detail.GetProperty("worker").GetString(), finished.GetProperty("worker").GetString());
    }

    [Theory]
    [InlineData("POST", "/v1/jobs/{0}/cancel")]
    [InlineData("DELETE", "/v1/jobs/{0}")]
    public async Task Control_UnknownJob_Is404(string method, string url)
    {
        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(new HttpMethod(method), string.Format(url, Guid.NewGuid())));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Job not found", problem.Detail());
    }
}
