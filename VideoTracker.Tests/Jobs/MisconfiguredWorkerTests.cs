namespace VideoTracker.Tests.Jobs;

/// <summary>
/// Real <c>web</c> and <c>worker</c> processes on PostgreSQL where a worker is set up wrong: a model file that is
/// not there, or a data folder that is not the shared one. Such a worker takes no job it cannot run, and says so on
/// <c>/health/ready</c>; a job whose upload is gone fails naming the file.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class MisconfiguredWorkerTests : IDisposable
{
    private static readonly TimeSpan ClaimChance = TimeSpan.FromSeconds(4);
    private readonly TempDirectory _temp = new();

    [PostgresFact]
    public async Task Worker_WithoutItsModelOrOffTheSharedFolder_ClaimsNothingItCannotRunAndIsNotReady()
    {
        await using var database = await TestPostgres.CreateAsync();
        var data = _temp.Combine("shared");
        var clip = TestClips.MovingSquare(_temp.Combine("clips"), frames: 20);
        using var web = await AppProcess.StartAsync(data, Settings(database, "web", "web", TestClips.ModelPath));
        using var client = web.CreateClient();
        var inputGone = await client.SubmitAsync(clip);
        File.Delete(Path.Combine(data, "jobs", inputGone.ToString("N"), "input.avi"));
        var needsModel = await client.SubmitAsync(clip, "yolo-tracker", "video_player_tracking");

        using (var noModel = await AppProcess.StartAsync(data, Settings(database, "worker", "no-model", _temp.Combine("missing.onnx"))))
        {
            var failed = await client.WaitForTerminalAsync(inputGone, timeoutSeconds: 60);
            await Task.Delay(ClaimChance);

            Assert.Equal("failed", failed.Status());
            Assert.Equal(
                $"The input file jobs/{inputGone:N}/input.avi is missing from the data folder of no-model: every node must mount the same shared folder at Storage:DataDirectory.",
                failed.GetProperty("error").GetString());
            await AssertStillPendingAsync(client, needsModel);
            var model = await NotReadyAsync(noModel, "model");
            Assert.Contains("does not exist", model, StringComparison.Ordinal);

            // The job says why it waits, and the nodes list says what each node claims.
            Assert.StartsWith(
                "Waiting for a worker that can run Player tracking (YOLO tracker): no running node has it (is the model configured on a worker?",
                await WaitingReasonAsync(client, needsModel),
                StringComparison.Ordinal);
            var nodes = (await client.GetJsonAsync("/v1/nodes")).GetProperty("nodes").EnumerateArray()
                .ToDictionary(n => n.GetProperty("name").GetString()!, n => (Role: n.GetProperty("role").GetString(), Tools: n.GetProperty("tools").EnumerateArray().Select(t => t.GetString()).ToList()));
            Assert.Equal(["no-model", "web"], nodes.Keys.Order());
            Assert.Equal(("web", 0), (nodes["web"].Role, nodes["web"].Tools.Count));
            Assert.Equal("worker", nodes["no-model"].Role);
            Assert.Contains("opencv-classic/video_motion_detection", nodes["no-model"].Tools);
            Assert.DoesNotContain("yolo-tracker/video_player_tracking", nodes["no-model"].Tools);
            noModel.Terminate();
            Assert.Equal(0, await noModel.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // A stopped node deletes its row: no node takes jobs now.
        Assert.Equal(["web"], (await client.GetJsonAsync("/v1/nodes")).GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
        // The web node reads the nodes' rows once a beat, so it may take one beat to see the row gone.
        await Poll.UntilAsync(
            async () => (await client.GetJsonAsync($"/v1/jobs/{needsModel}")).GetProperty("waiting_reason").GetString(),
            reason => reason?.StartsWith(NoNodeTakesJobs, StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200), reason => $"still: {reason}");
        Assert.StartsWith(NoNodeTakesJobs, await WaitingReasonAsync(client, needsModel), StringComparison.Ordinal);

        using var elsewhere = await AppProcess.StartAsync(_temp.Combine("elsewhere"), Settings(database, "worker", "elsewhere", TestClips.ModelPath));
        var another = await client.SubmitAsync(clip);
        await Task.Delay(ClaimChance);

        await AssertStillPendingAsync(client, another);
        Assert.Contains("no .videotracker-data", await NotReadyAsync(elsewhere, "data_folder"), StringComparison.Ordinal);

        // A worker off the shared folder claims nothing, so it runs no tool for the waiting jobs either.
        Assert.StartsWith(NoNodeTakesJobs, await WaitingReasonAsync(client, another), StringComparison.Ordinal);
    }

    private const string NoNodeTakesJobs = "Waiting for a worker: no running node takes jobs now";

    private static async Task<string?> WaitingReasonAsync(HttpClient client, Guid job)
    {
        var detail = await client.GetJsonAsync($"/v1/jobs/{job}");
        Assert.Equal(detail.GetProperty("waiting_reason").GetString(), (await client.GetStatusAsync(job)).GetProperty("waiting_reason").GetString());
        return detail.GetProperty("waiting_reason").GetString();
    }

    private static async Task AssertStillPendingAsync(HttpClient client, Guid job)
    {
        var status = await client.GetJsonAsync($"/v1/jobs/{job}");
        Assert.Equal("pending", status.Status());
        Assert.Equal(0, status.GetProperty("attempts").GetInt32());
    }

    /// <summary>Asserts <c>/health/ready</c> answers 503 with <paramref name="check"/> unhealthy; returns its description.</summary>
    private static async Task<string> NotReadyAsync(AppProcess node, string check)
    {
        using var client = node.CreateClient();
        using var response = await client.GetAsync("/health/ready");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var entry = body.GetProperty("checks").GetProperty(check);
        Assert.Equal("unhealthy", entry.GetProperty("status").GetString());
        return entry.GetProperty("description").GetString()!;
    }

    private static Dictionary<string, string> Settings(TestPostgres database, string role, string name, string modelPath)
    {
        var settings = database.Settings;
        settings["Node__Role"] = role;
        settings["Node__Name"] = name;
        settings["Jobs__SweepSeconds"] = "1";
        settings["Jobs__PreparePreview"] = "false";
        settings["Detection__ModelPath"] = modelPath;
        return settings;
    }

    public void Dispose() => _temp.Dispose();
}
