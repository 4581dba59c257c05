using System.Diagnostics;
using Xunit.Abstractions;

namespace VideoTracker.Tests.Jobs;

/// <summary>
/// The built app as three real processes on one PostgreSQL database and one data folder: a <c>web</c> node that
/// takes every request and two <c>worker</c> nodes that run the jobs. The class shares one cluster (started on
/// first use, see <see cref="MultiNodeCluster"/>); a test that kills a worker gets it started again by the next.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class MultiNodeTests(MultiNodeCluster shared, ITestOutputHelper output) : IClassFixture<MultiNodeCluster>, IDisposable
{
    private readonly TempDirectory _temp = new();

    [PostgresFact]
    public async Task Submit_TenJobsToTheWebNode_EachCompletesExactlyOnceAndBothWorkersRanSome()
    {
        var cluster = await shared.GetAsync(output);
        var clock = Stopwatch.StartNew();

        var jobs = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            jobs.Add(await cluster.Web.SubmitAsync(shared.ShortClip));
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
            Assert.Equal(1, await cluster.CountInWorkerLogsAsync($"Job {job} finished"));
            Assert.Equal(0, Count(cluster.WebOutput, $"Job {job} started"));
        }
    }

    [PostgresFact]
    public async Task Sigkill_WorkerMidJob_TheOtherWorkerTakesOverAfterTheLeaseWithEveryFrameOnce()
    {
        var cluster = await shared.GetAsync(output);
        var job = await cluster.StartLongJobAsync(progress: 10);
        var first = await cluster.WorkerOfAsync(job);

        var clock = Stopwatch.StartNew();
        cluster.Kill(first);
        var restarted = await cluster.Web.WaitForStatusAsync(job, s => s.GetProperty("attempts").GetInt32() == 1, timeoutSeconds: 60);
        var takeover = clock.Elapsed;
        var done = await cluster.Web.WaitForTerminalAsync(job, timeoutSeconds: 240);
        output.WriteLine($"taken over {takeover.TotalSeconds:F1}s after SIGKILL (lease {MultiNodeCluster.LeaseSeconds} s); completed {clock.Elapsed.TotalSeconds:F1}s after it");

        Assert.InRange(restarted.Progress() ?? 0, 0, 99);
        Assert.Equal("completed", done.Status());
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
        await AssertFinishedByTheOtherWorkerWithEveryFrameOnceAsync(cluster, job, first);
        Assert.Equal(1, await cluster.CountInWorkerLogsAsync($"Job {job} finished"));
    }

    [PostgresFact]
    public async Task Sigterm_WorkerMidJob_ReleasesTheJobAtOnceAndTheOtherWorkerCompletesItWithEveryFrameOnce()
    {
        var cluster = await shared.GetAsync(output);
        var job = await cluster.StartLongJobAsync(progress: 10);
        var first = await cluster.WorkerOfAsync(job);
        var stopping = cluster.Worker(first);

        var clock = Stopwatch.StartNew();
        stopping.Terminate();

        // Released means back to pending, or already claimed again by the other worker (the NOTIFY wakes it at
        // once, so pending may last only milliseconds). A takeover after the lease would count an attempt.
        var released = await cluster.Web.GetJsonAsync($"/v1/jobs/{job}");
        while ((released.Status() != "pending" && released.GetProperty("worker").GetString() == first) && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(25);
            released = await cluster.Web.GetJsonAsync($"/v1/jobs/{job}");
        }

        var releasedAfter = clock.Elapsed;
        var exitCode = await stopping.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var exitedAfter = clock.Elapsed;
        var done = await cluster.Web.WaitForTerminalAsync(job, timeoutSeconds: 240);
        output.WriteLine(
            $"released {releasedAfter.TotalSeconds:F2}s after SIGTERM (lease {MultiNodeCluster.LeaseSeconds} s, seen as {released.Status()}); "
            + $"{first} exited with {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"} after {exitedAfter.TotalSeconds:F2}s; "
            + $"completed {clock.Elapsed.TotalSeconds:F1}s after SIGTERM");

        // The lease was renewed at most a heartbeat (1 s) before the signal, so waiting for it would take 5 s or more.
        Assert.True(releasedAfter < TimeSpan.FromSeconds(MultiNodeCluster.LeaseSeconds - 1), $"released after {releasedAfter.TotalSeconds:F1}s");
        Assert.Equal(0, released.GetProperty("attempts").GetInt32());
        Assert.Equal(1, Count(stopping.Output, $"Job {job} released back to the queue at shutdown"));
        Assert.Equal(0, exitCode);
        Assert.Equal("completed", done.Status());
        Assert.Equal(0, done.GetProperty("attempts").GetInt32());
        await AssertFinishedByTheOtherWorkerWithEveryFrameOnceAsync(cluster, job, first);
        Assert.Equal(2, cluster.CountInWorkerLogs($"Job {job} started"));
        Assert.Equal(1, await cluster.CountInWorkerLogsAsync($"Job {job} finished"));
        Assert.Equal(0, Count(stopping.Output, $"Job {job} finished"));
    }

    [PostgresFact]
    public async Task Cancel_SentToTheWebNode_StopsTheJobOnItsWorkerWithinFiveSeconds()
    {
        var cluster = await shared.GetAsync(output);
        var job = await cluster.StartLongJobAsync(progress: 5);

        var clock = Stopwatch.StartNew();
        using var response = await cluster.Web.PostAsync($"/v1/jobs/{job}/cancel", null);
        var answered = clock.Elapsed;
        var after = await cluster.Web.WaitForTerminalAsync(job, timeoutSeconds: 10);
        output.WriteLine($"cancel answered after {answered.TotalSeconds:F2}s; job cancelled after {clock.Elapsed.TotalSeconds:F2}s");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", after.Status());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cancelled after {clock.Elapsed.TotalSeconds:F1}s");
        Assert.False(Directory.Exists(Path.Combine(cluster.DataDirectory, "jobs", job.ToString("N"), "results.partial")));
        Assert.Equal(1, await cluster.CountInWorkerLogsAsync($"Job {job} cancelled"));
    }

    [PostgresFact]
    public async Task Status_OnTheWebNodeWhileAWorkerRunsTheJob_ShowsCurrentFrameRising()
    {
        var cluster = await shared.GetAsync(output);
        var total = MultiNodeCluster.LongClipFrames;
        var job = await cluster.Web.SubmitAsync(shared.LongClip);

        // Each distinct frame seen is one write by the worker (a progress step or a heartbeat); the claim's frame 0 does not count.
        var seen = new List<int>();
        try
        {
            await cluster.Web.WaitForStatusAsync(
                job,
                status =>
                {
                    if (status.Status() == "running" && status.GetProperty("current_frame") is { ValueKind: JsonValueKind.Number } current
                        && current.GetInt32() is var frame and > 0 && (seen.Count == 0 || frame > seen[^1]))
                    {
                        seen.Add(frame);
                        Assert.Equal(total, status.GetProperty("total_frames").GetInt32());
                        Assert.InRange(status.Progress() ?? -1, Math.Max(0, (frame * 100 / total) - 5), frame * 100 / total);
                    }

                    return seen.Count >= 4 || status.Status() is "completed" or "failed" or "cancelled";
                },
                timeoutSeconds: 120);
        }
        finally
        {
            using var cancel = await cluster.Web.PostAsync($"/v1/jobs/{job}/cancel", null);
            await cluster.Web.WaitForTerminalAsync(job, timeoutSeconds: 30);
        }

        output.WriteLine($"current_frame seen on the web node: {string.Join(", ", seen)}");
        Assert.True(seen.Count >= 4, $"saw {string.Join(", ", seen)}");
    }

    [Fact]
    public async Task Start_WebNodeOnSqlite_ExitsNonZeroSayingItNeedsPostgres()
    {
        var (code, output) = await AppProcess.RunUntilExitAsync(_temp.Combine("data"), new Dictionary<string, string> { ["Node__Role"] = "web" }, TimeSpan.FromSeconds(60));

        Assert.True(code == 1, $"exit code {code}, output:\n{output}");
        Assert.Contains("VideoTracker cannot start: Node:Role 'web' needs Database:Provider 'Postgres'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SecondProcessOnTheSameSqliteFolder_ExitsAtOnceNamingTheFolderAndTheOtherProcess()
    {
        var data = _temp.Combine("data");
        using var first = await AppProcess.StartAsync(data);

        var (code, output) = await AppProcess.RunUntilExitAsync(data, null, TimeSpan.FromSeconds(60));

        Assert.True(code == 1, $"exit code {code}, output:\n{output}");
        Assert.Contains($"The data folder {data} is in use by another VideoTracker process (pid {first.ProcessId} on ", output, StringComparison.Ordinal);
        Assert.Contains("use PostgreSQL", output, StringComparison.Ordinal);
        using var client = first.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    /// <summary>The taken-over job ran on the other worker, has frames 0 to the last exactly once, and left no partial file.</summary>
    private static async Task AssertFinishedByTheOtherWorkerWithEveryFrameOnceAsync(MultiNodeCluster cluster, Guid job, string first)
    {
        var detail = await cluster.Web.GetJsonAsync($"/v1/jobs/{job}");
        Assert.NotEqual(first, detail.GetProperty("worker").GetString());
        var results = (await cluster.Web.GetJsonAsync($"/v1/video/results/{job}")).GetProperty("results");
        Assert.Equal(
            Enumerable.Range(0, MultiNodeCluster.LongClipFrames),
            results.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("frame_index").GetInt32()));
        var folder = Path.Combine(cluster.DataDirectory, "jobs", job.ToString("N"));
        Assert.Equal(["input.avi", "results"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order());
    }

    public void Dispose() => _temp.Dispose();

    internal static int Count(string text, string value) =>
        (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
}

/// <summary>
/// One web node and two workers, <c>worker-a</c> and <c>worker-b</c>, on a fresh database and a shared data folder,
/// started when a test first asks (so a run without PostgreSQL starts nothing) and stopped with the class. A worker
/// that a test killed is started again, under the same name, by the next <see cref="GetAsync"/>. It is an
/// <see cref="IAsyncLifetime"/> because xunit 2 never calls <see cref="IAsyncDisposable"/> on a fixture: the
/// three nodes would outlive the test run.
/// </summary>
public sealed class MultiNodeCluster : IAsyncLifetime
{
    public const int LeaseSeconds = 6;
    public const int LongClipFrames = 3000;

    private readonly TempDirectory _temp = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<AppProcess> _stopped = [];
    private readonly Dictionary<string, AppProcess> _workers = [];
    private TestPostgres? _database;
    private AppProcess? _web;
    private HttpClient? _client;

    public string ShortClip => _temp.Combine("clips", "short.avi");

    /// <summary>Long enough (640×480) that a job still runs while a test kills its worker or cancels it.</summary>
    public string LongClip => _temp.Combine("clips", "long.avi");

    public string DataDirectory => _temp.Combine("shared-data");

    public HttpClient Web => _client ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>The nodes' database, for a test that changes how it answers.</summary>
    public TestPostgres Database => _database ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>Every worker process's output, the killed ones included.</summary>
    public string WorkerOutput => string.Concat(_workers.Values.Concat(_stopped).Select(w => w.Output));

    public string WebOutput => _web?.Output ?? string.Empty;

    public async Task<MultiNodeCluster> GetAsync(ITestOutputHelper output)
    {
        await _gate.WaitAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            if (_database is null)
            {
                _database = await TestPostgres.CreateAsync();
                TestClips.MovingSquare(_temp.Combine("clips"), frames: 60, name: "short.avi");
                TestClips.MovingSquare(_temp.Combine("clips"), frames: LongClipFrames, width: 640, height: 480, name: "long.avi");
                Task<AppProcess>[] starting =
                [
                    AppProcess.StartAsync(DataDirectory, Settings("web", "web")),
                    AppProcess.StartAsync(DataDirectory, Settings("worker", "worker-a")),
                    AppProcess.StartAsync(DataDirectory, Settings("worker", "worker-b")),
                ];
                AppProcess[] started;
                try
                {
                    started = await Task.WhenAll(starting);
                }
                catch
                {
                    // A node that did not start fails the test; the ones that did would outlive the test run.
                    foreach (var node in starting.Where(t => t.IsCompletedSuccessfully))
                    {
                        node.Result.Dispose();
                    }

                    throw;
                }

                (_web, _workers["worker-a"], _workers["worker-b"]) = (started[0], started[1], started[2]);
                _client = _web.CreateClient();
                output.WriteLine($"PostgreSQL database, clips and 3 nodes up in {clock.Elapsed.TotalSeconds:F1}s");
            }

            foreach (var name in _workers.Where(w => w.Value.HasExited).Select(w => w.Key).ToList())
            {
                _stopped.Add(_workers[name]);
                _workers[name] = await AppProcess.StartAsync(DataDirectory, Settings("worker", name));
                output.WriteLine($"{name} started again in {clock.Elapsed.TotalSeconds:F1}s");
            }

            return this;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Submits <see cref="LongClip"/> to the web node and waits until a worker runs it at <paramref name="progress"/>% or more.</summary>
    public async Task<Guid> StartLongJobAsync(int progress)
    {
        var job = await Web.SubmitAsync(LongClip);
        await Web.WaitForStatusAsync(job, s => s.Status() == "running" && s.Progress() >= progress, timeoutSeconds: 120);
        return job;
    }

    /// <summary>The name of the worker the job's row names now.</summary>
    public async Task<string> WorkerOfAsync(Guid job) => (await Web.GetJsonAsync($"/v1/jobs/{job}")).GetProperty("worker").GetString()!;

    /// <summary>The process of a worker now running under that name.</summary>
    public AppProcess Worker(string name) => _workers[name];

    /// <summary>SIGKILL, no graceful release.</summary>
    public void Kill(string worker) => _workers[worker].Kill();

    /// <summary>Occurrences in the output of every worker process, the killed ones included.</summary>
    public int CountInWorkerLogs(string text) => _workers.Values.Concat(_stopped).Sum(w => MultiNodeTests.Count(w.Output, text));

    /// <summary>
    /// <see cref="CountInWorkerLogs"/> once it reaches <paramref name="atLeast"/>, or after 10 s: a worker logs a job's
    /// end after it wrote the row (and sent the webhooks), so the web node can report <c>completed</c> first.
    /// </summary>
    public async Task<int> CountInWorkerLogsAsync(string text, int atLeast = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (CountInWorkerLogs(text) < atLeast && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return CountInWorkerLogs(text);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        foreach (var node in _workers.Values.Concat(_stopped).Append(_web))
        {
            node?.Dispose();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _gate.Dispose();
        _temp.Dispose();
    }

    private Dictionary<string, string> Settings(string role, string name) => NodeSettings(_database!, role, name);

    /// <summary>
    /// A node of <paramref name="role"/> named <paramref name="name"/> on <paramref name="database"/>, with a short lease
    /// (<see cref="LeaseSeconds"/>), heartbeat and sweep, and no browser previews.
    /// </summary>
    public static Dictionary<string, string> NodeSettings(TestPostgres database, string role, string name)
    {
        var settings = database.Settings;
        settings["Node__Role"] = role;
        settings["Node__Name"] = name;
        settings["Jobs__SweepSeconds"] = "1";
        settings["Jobs__LeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Jobs__HeartbeatSeconds"] = "1";

        // The browser preview is another ffmpeg per job, not what these tests are about: keep the two cores for the jobs.
        settings["Jobs__PreparePreview"] = "false";
        return settings;
    }
}
