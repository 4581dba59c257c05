using System.Net.Http.Json;

namespace VideoTracker.Tests.Api;

/// <summary>
/// <c>GET /v1/nodes</c> (admin only) lists this process as a node with the tools it claims, and a pending job whose tool
/// no running node claims says why (<c>waiting_reason</c>), while one that a node can run does not.
/// </summary>
public sealed class NodesAndWaitingTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _admin = factory.CreateClient();

    [Fact]
    public async Task Nodes_AsAdmin_ListsThisProcessRunningWithTheToolsItClaims_AndRefusesOthers()
    {
        using (var anonymous = factory.CreateAnonymousClient())
        using (var refused = await anonymous.GetAsync("/v1/nodes"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var created = await _admin.PostAsJsonAsync("/v1/users", new { username = "nodes-member", password = "nodes-member-password", role = "member" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var member = factory.CreateAnonymousClient())
        {
            member.DefaultRequestHeaders.Add("Cookie", await member.SignInAsync("nodes-member", "nodes-member-password"));
            using var forbidden = await member.GetAsync("/v1/nodes");
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        // The node writes its row as it starts: wait for the first beat rather than guess.
        var nodes = await Poll.UntilAsync(
            async () => (await _admin.GetJsonAsync("/v1/nodes")).GetProperty("nodes").EnumerateArray().ToList(),
            n => n.Count > 0, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), _ => "no node listed");
        var node = Assert.Single(nodes);
        Assert.Equal("all", node.GetProperty("role").GetString());
        Assert.True(node.GetProperty("running").GetBoolean());
        var tools = node.GetProperty("tools").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("test/gated", tools);
        Assert.Contains("opencv-classic/video_motion_detection", tools);
        Assert.DoesNotContain("test/unavailable", tools);
    }

    [Fact]
    public async Task Job_PendingForAToolNoRunningNodeClaims_SaysWhyInTheDetailAndTheStatus()
    {
        var store = factory.Services.GetRequiredService<JobStore>();
        var paths = factory.Services.GetRequiredService<DataPaths>();

        // The one worker is busy, so both jobs below stay pending while the test reads them.
        var busy = await factory.SubmitGatedToFrameAsync(_admin, TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: "busy.avi"), frames: 1);
        var stuck = await AddPendingAsync(store, paths, TestPlugin.PluginId, "unavailable");
        var next = await AddPendingAsync(store, paths, TestPlugin.PluginId, "gated");
        try
        {
            var detail = await _admin.GetJsonAsync($"/v1/jobs/{stuck}");
            var status = await _admin.GetStatusAsync(stuck);
            var runnable = await _admin.GetStatusAsync(next);

            Assert.Equal("pending", detail.Status());
            const string reason = "Waiting for a worker that can run Unavailable (Test tools): no running node has it";
            Assert.StartsWith(reason, detail.GetProperty("waiting_reason").GetString(), StringComparison.Ordinal);
            Assert.StartsWith(reason, status.GetProperty("waiting_reason").GetString(), StringComparison.Ordinal);
            Assert.Equal("pending", runnable.Status());
            Assert.Equal(JsonValueKind.Null, runnable.GetProperty("waiting_reason").ValueKind);
            Assert.Equal(JsonValueKind.Null, (await _admin.GetStatusAsync(busy)).GetProperty("waiting_reason").ValueKind);
        }
        finally
        {
            foreach (var job in new[] { stuck, next, busy })
            {
                using var _ = await _admin.PostAsync($"/v1/jobs/{job}/cancel", null);
            }
        }
    }

    /// <summary>A pending row for <paramref name="pluginId"/>/<paramref name="tool"/>, as a submit on another node would leave it.</summary>
    private static async Task<Guid> AddPendingAsync(JobStore store, DataPaths paths, string pluginId, string tool)
    {
        var id = Guid.NewGuid();
        var clip = TestClips.MovingSquare(paths.JobDirectory(id), frames: 3, name: "input.avi");
        await store.AddAsync(new VideoJob
        {
            JobId = id,
            PluginId = pluginId,
            Tool = tool,
            Status = JobStatus.Pending,
            OriginalFileName = "input.avi",
            StoredFilePath = paths.ToRelative(clip),
            CreatedAt = store.UtcNow,
            UpdatedAt = store.UtcNow,
        }, CancellationToken.None);
        return id;
    }
}
