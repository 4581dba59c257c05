using System.Diagnostics;
using System.Net;
using System.Text.Json;
using VideoTracker.Tests.Support;
using Xunit.Abstractions;

namespace VideoTracker.Tests.Jobs;

/// <summary>
/// The built app as three real processes on one PostgreSQL database and one data folder: a <c>web</c> node that
/// takes every request and two <c>worker</c> nodes that run the jobs.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class MultiNodeTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    [PostgresFact]
    public async Task Submit_TenJobsToTheWebNode_EachCompletesExactlyOnceAndBothWorkersRanSome()
    {
        await using var cluster = await Cluster.StartAsync(_temp, output);
        var clip = TestClips.MovingSquare(_temp.Combine("clips"), frames: 60, name: "short.avi");
        var clock = Stopwatch.StartNew();

        var jobs = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            jobs.Add(await cluster.Web.SubmitAsync(clip));
        }

        var details = new List<JsonElement>();
        foreach (var job in jobs)
        {
            Assert.Equal("completed", (await cluster.Web.WaitForTerminalAsync(job, timeoutSeconds: 120)).Status());
            details.Add(await cluster.Web.GetJsonAsync($"/v1/jobs/{job}"));
        }

        output.WriteLine($"10 jobs completed in {clock.Elapsed.TotalSeconds:F1}s");
        var byWorker = details.GroupBy(d => d.GetProperty("worker").GetString()).ToDictionary(g => g.Key!, g => g.Count());
        output.WriteLine(string.Join(", ", byWorker.Select(kv => $"{kv.Key}: {kv.Value}")));
        Assert.Equal(["worker-a", "worker-b"], byWorker.Keys.Order());
        Assert.All(details, d => Assert.Equal(0, d.GetProperty("attempts").GetInt32()));
        foreach (var job in jobs)
        {
            Assert.Equal(1, cluster.CountInWorkerLogs($"Job {job} started"));
            Assert.Equal(1, cluster.CountInWorkerLogs($"Job {job} finished"));
        }

        Assert.DoesNotContain("started:", cluster.WebOutput, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Sigkill_WorkerMidJob_TheOtherWorkerTakesOverAfterTheLeaseWithEveryFrameOnce()
    {
        await using var cluster = await Cluster.StartAsync(_temp, output);
        var clip = TestClips.MovingSquare(_temp.Combine("clips"), frames: 2000, width: 640, height: 480, name: "long.avi");
        var job = await cluster.Web.SubmitAsync(clip);
        await cluster.Web.WaitForStatusAsync(job, s => s.Status() == "running" && s.Progress() >= 10, timeoutSeconds: 120);
        var first = (await cluster.Web.GetJsonAsync($"/v1/jobs/{job}")).GetProperty("worker").GetString()!;

        var clock = Stopwatch.StartNew();
        cluster.Worker(first).Kill();
        var restarted = await cluster.Web.WaitForStatusAsync(job, s => s.GetProperty("attempts").GetInt32() == 1, timeoutSeconds: 60);
        var takeover = clock.Elapsed;
        var done = await cluster.Web.WaitForTerminalAsync(job, timeoutSeconds: 240);
        output.WriteLine($"taken over {takeover.TotalSeconds:F1}s after SIGKILL (lease 6 s); completed {clock.Elapsed.TotalSeconds:F1}s after it");

        Assert.InRange(restarted.Progress() ?? 0, 0, 99);
        Assert.Equal("completed", done.Status());
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
        var detail = await cluster.Web.GetJsonAsync($"/v1/jobs/{job}");
        Assert.NotEqual(first, detail.GetProperty("worker").GetString());
        var results = (await cluster.Web.GetJsonAsync($"/v1/video/results/{job}")).GetProperty("results");
        Assert.Equal(Enumerable.Range(0, 2000), results.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("frame_index").GetInt32()));
        var folder = Path.Combine(cluster.DataDirectory, "jobs", job.ToString("N"));
        Assert.Equal(["input.avi", "results"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order());
        Assert.Equal(1, cluster.CountInWorkerLogs($"Job {job} finished"));
    }

    [PostgresFact]
    public async Task Cancel_SentToTheWebNode_StopsTheJobOnItsWorkerWithinFiveSeconds()
    {
        await using var cluster = await Cluster.StartAsync(_temp, output);
        var clip = TestClips.MovingSquare(_temp.Combine("clips"), frames: 3000, width: 640, height: 480, name: "long.avi");
        var job = await cluster.Web.SubmitAsync(clip);
        await cluster.Web.WaitForStatusAsync(job, s => s.Status() == "running" && s.Progress() >= 5, timeoutSeconds: 120);

        var clock = Stopwatch.StartNew();
        using var response = await cluster.Web.PostAsync($"/v1/jobs/{job}/cancel", null);
        var answered = clock.Elapsed;
        var after = await cluster.Web.WaitForTerminalAsync(job, timeoutSeconds: 10);
        output.WriteLine($"cancel answered after {answered.TotalSeconds:F2}s; job cancelled after {clock.Elapsed.TotalSeconds:F2}s");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", after.Status());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cancelled after {clock.Elapsed.TotalSeconds:F1}s");
        Assert.False(Directory.Exists(Path.Combine(cluster.DataDirectory, "jobs", job.ToString("N"), "results.partial")));
        Assert.Equal(1, cluster.CountInWorkerLogs($"Job {job} cancelled"));
    }

    [PostgresFact]
    public async Task Status_OnTheWebNodeWhileAWorkerRunsTheJob_ShowsCurrentFrameRising()
    {
        await using var cluster = await Cluster.StartAsync(_temp, output);
        var clip = TestClips.MovingSquare(_temp.Combine("clips"), frames: 3000, width: 640, height: 480, name: "long.avi");
        var job = await cluster.Web.SubmitAsync(clip);

        var seen = new List<int>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (seen.Count < 4 && DateTime.UtcNow < deadline)
        {
            var status = await cluster.Web.GetStatusAsync(job);
            if (status.Status() == "running" && status.GetProperty("current_frame").ValueKind == JsonValueKind.Number)
            {
                var frame = status.GetProperty("current_frame").GetInt32();
                if (frame > 0 && (seen.Count == 0 || frame > seen[^1]))
                {
                    seen.Add(frame);
                    Assert.Equal(3000, status.GetProperty("total_frames").GetInt32());
                    Assert.InRange(status.Progress() ?? -1, Math.Max(0, (frame * 100 / 3000) - 5), frame * 100 / 3000);
                }
            }

            await Task.Delay(250);
        }

        output.WriteLine($"current_frame seen on the web node: {string.Join(", ", seen)}");
        Assert.True(seen.Count >= 4, $"saw {string.Join(", ", seen)}");
        using var cancel = await cluster.Web.PostAsync($"/v1/jobs/{job}/cancel", null);
    }

    [Fact]
    public async Task Start_WebNodeOnSqlite_ExitsNonZeroSayingItNeedsPostgres()
    {
        var (code, output) = await AppProcess.RunUntilExitAsync(_temp.Combine("data"), new Dictionary<string, string> { ["Node__Role"] = "web" }, TimeSpan.FromSeconds(60));

        Assert.Equal(1, code);
        Assert.Contains("VideoTracker cannot start: Node:Role 'web' needs Database:Provider 'Postgres'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SecondProcessOnTheSameSqliteFolder_ExitsAtOnceNamingTheFolderAndTheOtherProcess()
    {
        var data = _temp.Combine("data");
        using var first = await AppProcess.StartAsync(data);

        var (code, output) = await AppProcess.RunUntilExitAsync(data, null, TimeSpan.FromSeconds(60));

        Assert.Equal(1, code);
        Assert.Contains($"The data folder {data} is in use by another VideoTracker process (pid {first.ProcessId} on ", output, StringComparison.Ordinal);
        Assert.Contains("use PostgreSQL", output, StringComparison.Ordinal);
        using var client = first.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>One web node and two workers, <c>worker-a</c> and <c>worker-b</c>, on a fresh database and a shared data folder.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly TestPostgres _database;
        private readonly AppProcess _web;
        private readonly Dictionary<string, AppProcess> _workers;

        private Cluster(TestPostgres database, string data, AppProcess web, Dictionary<string, AppProcess> workers)
        {
            _database = database;
            DataDirectory = data;
            _web = web;
            _workers = workers;
            Web = web.CreateClient();
        }

        public string DataDirectory { get; }

        public HttpClient Web { get; }

        public string WebOutput => _web.Output;

        public AppProcess Worker(string name) => _workers[name];

        public static async Task<Cluster> StartAsync(TempDirectory temp, ITestOutputHelper output)
        {
            var clock = Stopwatch.StartNew();
            var database = await TestPostgres.CreateAsync();
            var data = temp.Combine("shared-data");
            Dictionary<string, string> Settings(string role, string name)
            {
                var settings = database.Settings;
                settings["Node__Role"] = role;
                settings["Node__Name"] = name;
                settings["Jobs__SweepSeconds"] = "1";
                settings["Jobs__LeaseSeconds"] = "6";
                settings["Jobs__HeartbeatSeconds"] = "1";
                return settings;
            }

            var started = await Task.WhenAll(
                AppProcess.StartAsync(data, Settings("web", "web")),
                AppProcess.StartAsync(data, Settings("worker", "worker-a")),
                AppProcess.StartAsync(data, Settings("worker", "worker-b")));
            output.WriteLine($"3 nodes up in {clock.Elapsed.TotalSeconds:F1}s");
            return new Cluster(database, data, started[0], new() { ["worker-a"] = started[1], ["worker-b"] = started[2] });
        }

        public int CountInWorkerLogs(string text) => _workers.Values.Sum(w => Count(w.Output, text));

        public async ValueTask DisposeAsync()
        {
            Web.Dispose();
            foreach (var node in _workers.Values.Append(_web))
            {
                node.Dispose();
            }

            await _database.DisposeAsync();
        }

        private static int Count(string text, string value) =>
            (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
    }
}
