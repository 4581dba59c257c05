using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VideoTracker.Core.Data;
using VideoTracker.Core.Nodes;

namespace VideoTracker.Tests.Nodes;

/// <summary>The <c>nodes</c> table on a real migrated SQLite file, on a clock the test moves.</summary>
public sealed class NodeStoreTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly MigratedSqlite _database;

    public NodeStoreTests() => _database = new MigratedSqlite(_time, services => services.AddSingleton<NodeStore>());

    private NodeStore Store => _database.Services.GetRequiredService<NodeStore>();

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    public Task InitializeAsync() => _database.MigrateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Beat_Again_UpdatesTheNodesOneRowWithWhatItClaimsNow()
    {
        await Store.BeatAsync(Node("a", "worker", "opencv-classic/video_motion_detection"), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        await Store.BeatAsync(Node("a", "worker", "opencv-classic/video_motion_detection", "yolo-tracker/video_player_tracking"), CancellationToken.None);

        var row = Assert.Single(await Store.ListAsync(CancellationToken.None));
        Assert.Equal(["opencv-classic/video_motion_detection", "yolo-tracker/video_player_tracking"], row.Tools.Select(t => ToolKey.FromStored(t).ToString()));
        Assert.Equal(Now, row.LastSeenAt);
        Assert.Equal(Now.AddSeconds(-10), row.StartedAt);
    }

    [Fact]
    public async Task ToolsSeenSince_LeavesOutNodesNotSeenWithinTheWindow()
    {
        await Store.BeatAsync(Node("gone", "worker", "yolo-tracker/video_player_tracking"), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(31));
        await Store.BeatAsync(Node("here", "worker", "opencv-classic/video_motion_detection"), CancellationToken.None);
        await Store.BeatAsync(Node("web", "web"), CancellationToken.None);

        var tools = await Store.ToolsSeenSinceAsync(Now.AddSeconds(-30), CancellationToken.None);

        Assert.Equal([new ToolKey("opencv-classic", "video_motion_detection")], tools);
        Assert.Equal(3, (await Store.ListAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Beat_ForgetsNodesNotSeenForADay_AndRemoveDeletesAStoppingNode()
    {
        await Store.BeatAsync(Node("died", "worker"), CancellationToken.None);
        await Store.BeatAsync(Node("stops", "worker"), CancellationToken.None);
        _time.Advance(NodeStore.ForgetAfter + TimeSpan.FromSeconds(1));
        await Store.BeatAsync(Node("stops", "worker"), CancellationToken.None);

        Assert.Equal(["stops"], (await Store.ListAsync(CancellationToken.None)).Select(n => n.NodeId));
        await Store.RemoveAsync("stops", CancellationToken.None);
        Assert.Empty(await Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RunnableTools_AreReadOnceABeat_NotOnEveryPoll()
    {
        // A web node (it claims nothing itself) that reads the other nodes' rows, as on PostgreSQL.
        var waiting = new JobWaitingReasons(
            Store,
            new NodeCapabilities(new PluginRegistry([new TestPlugin()]), _database.Services.GetRequiredService<DataPaths>(), Options.Create(new NodeOptions { Role = "web" })),
            new PluginRegistry([new TestPlugin()]),
            _time,
            Options.Create(new DatabaseOptions { Provider = nameof(DatabaseProvider.Postgres) }),
            Options.Create(new JobsOptions { SweepSeconds = 10 }));
        var job = new VideoJob { PluginId = TestPlugin.PluginId, Tool = "gated", Status = JobStatus.Pending, OriginalFileName = "a.avi", StoredFilePath = "a.avi" };

        Assert.NotNull((await waiting.NowAsync(CancellationToken.None)).ReasonFor(job));
        await Store.BeatAsync(Node("worker", "worker", "test/gated"), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.NotNull((await waiting.NowAsync(CancellationToken.None)).ReasonFor(job));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null((await waiting.NowAsync(CancellationToken.None)).ReasonFor(job));
    }

    [Fact]
    public void ReasonFor_APendingJobNoNodeClaims_NamesTheToolOrThatNoNodeTakesJobs()
    {
        var plugins = new PluginRegistry([new TestPlugin()]);
        var window = TimeSpan.FromSeconds(30);
        var job = new VideoJob { PluginId = TestPlugin.PluginId, Tool = "unavailable", Status = JobStatus.Pending, OriginalFileName = "a.avi", StoredFilePath = "a.avi" };
        var someTools = new RunnableTools(new HashSet<ToolKey> { new(TestPlugin.PluginId, "gated") }, window, plugins);
        var noTools = new RunnableTools(new HashSet<ToolKey>(), window, plugins);

        Assert.StartsWith("Waiting for a worker that can run Unavailable (Test tools): no running node has it (is the model configured on a worker?", someTools.ReasonFor(job), StringComparison.Ordinal);
        Assert.StartsWith("Waiting for a worker: no running node takes jobs now (none seen within the last 30 s).", noTools.ReasonFor(job), StringComparison.Ordinal);
        Assert.Null(someTools.ReasonFor(new VideoJob { PluginId = TestPlugin.PluginId, Tool = "gated", Status = JobStatus.Pending, OriginalFileName = "b.avi", StoredFilePath = "b.avi" }));
        Assert.Null(noTools.ReasonFor(new VideoJob { PluginId = TestPlugin.PluginId, Tool = "unavailable", Status = JobStatus.Running, OriginalFileName = "c.avi", StoredFilePath = "c.avi" }));
        Assert.StartsWith(
            "Waiting for a worker that can run gone/tool: ",
            someTools.ReasonFor(new VideoJob { PluginId = "gone", Tool = "tool", Status = JobStatus.Pending, OriginalFileName = "d.avi", StoredFilePath = "d.avi" }),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolsSeenSince_KeepsThePluginAndToolApart_WhereSlashesWouldMakeOneString()
    {
        await Store.BeatAsync(new NodeRecord { NodeId = "n", Name = "n", Role = "worker", Tools = [new ToolKey("a/b", "c").ToStored()], StartedAt = Now }, CancellationToken.None);

        var tools = await Store.ToolsSeenSinceAsync(Now.AddSeconds(-30), CancellationToken.None);
        var runnable = new RunnableTools(tools, TimeSpan.FromSeconds(30), new PluginRegistry([new TestPlugin()]));

        Assert.Equal([new ToolKey("a/b", "c")], tools);
        Assert.Null(runnable.ReasonFor(JobStatus.Pending, new ToolKey("a/b", "c")));
        Assert.NotNull(runnable.ReasonFor(JobStatus.Pending, new ToolKey("a", "b/c")));
    }

    /// <summary>A node's row claiming <paramref name="tools"/>, each written <c>plugin/tool</c> here.</summary>
    private NodeRecord Node(string id, string role, params string[] tools) =>
        new() { NodeId = id, Name = id, Role = role, Tools = [.. tools.Select(t => t.Split('/', 2)).Select(p => new ToolKey(p[0], p[1]).ToStored())], StartedAt = Now };
}
