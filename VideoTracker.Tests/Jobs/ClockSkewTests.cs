using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace VideoTracker.Tests.Jobs;

/// <summary>
/// Nodes whose clocks disagree, as real processes on one PostgreSQL database: a <c>web</c> node on the machine's clock
/// and a <c>worker</c> whose clock is minutes off it (<see cref="SkewedClock"/>), then stepped while it runs a job.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed partial class ClockSkewTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    [PostgresSkewedClockFact]
    public async Task Run_OnAWorkerWhoseClockIsMinutesBehindAndThenStepped_IsNeverTakenFromItAndTheWorkerCountsAsRunningSinceItStarted()
    {
        await using var database = await TestPostgres.CreateAsync();
        var clip = TestClips.MovingSquare(_temp.Combine("clips"), frames: MultiNodeCluster.LongClipFrames, width: 640, height: 480, name: "long.avi");
        var data = _temp.Combine("data");
        var clock = new SkewedClock(_temp.Combine("faketime"), "-2m");
        using var web = await AppProcess.StartAsync(data, MultiNodeCluster.NodeSettings(database, "web", "web"));
        var started = DateTime.UtcNow;
        using var worker = await AppProcess.StartAsync(data, new Dictionary<string, string>(MultiNodeCluster.NodeSettings(database, "worker", "behind").Concat(clock.Settings)));
        using var client = web.CreateClient();
        var job = await client.SubmitAsync(clip);
        try
        {
            await client.WaitForStatusAsync(job, s => s.Status() == "running", timeoutSeconds: 120);

            // Two leases with the worker's clock 2 minutes behind (both nodes sweep every second), then two more after it
            // steps back 3 minutes more, as NTP might step it. A lease judged by each node's own clock ran out on the web
            // node's the moment it was written, and its sweep took the job.
            var seen = await WatchAsync(client, job, TimeSpan.FromSeconds(2 * MultiNodeCluster.LeaseSeconds));
            clock.Step("-5m");
            seen.AddRange(await WatchAsync(client, job, TimeSpan.FromSeconds(2 * MultiNodeCluster.LeaseSeconds)));
            var nodes = (await client.GetJsonAsync("/v1/nodes")).GetProperty("nodes").EnumerateArray().ToList();
            output.WriteLine($"{seen.Count} looks at the job: {string.Join(", ", seen.Distinct())}");

            Assert.Matches(SkewLogged(), worker.Output);
            Assert.All(seen, s => Assert.Equal("behind, attempt 0", s[(s.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
            Assert.DoesNotContain(seen, s => s.StartsWith("failed", StringComparison.Ordinal) || s.StartsWith("pending", StringComparison.Ordinal));
            var node = nodes.Single(n => n.GetProperty("name").GetString() == "behind");
            Assert.True(node.GetProperty("running").GetBoolean(), "the skewed worker is listed as not running");
            Assert.InRange(node.GetProperty("started_at").GetDateTimeOffset().UtcDateTime, started.AddSeconds(-5), DateTime.UtcNow);
            Assert.DoesNotContain($"Job {job} was interrupted", web.Output + worker.Output, StringComparison.Ordinal);
        }
        finally
        {
            using var cancel = await client.PostAsync($"/v1/jobs/{job}/cancel", null);
            await client.WaitForTerminalAsync(job, timeoutSeconds: 30);
        }
    }

    [PostgresSkewedClockFact]
    public async Task StartupTasks_OnANodeWhoseClockIsBehind_StampOnTheServersClock()
    {
        // The first admin is made by a start-up task, which ran before the first reading of the server's clock.
        await using var database = await TestPostgres.CreateAsync();
        var settings = MultiNodeCluster.NodeSettings(database, "web", "behind");
        settings["Auth__InitialAdmin__Username"] = "ada";
        settings["Auth__InitialAdmin__Password"] = "ada-password-1";
        var before = DateTime.UtcNow;
        using var node = await AppProcess.StartAsync(_temp.Combine("data"), new Dictionary<string, string>(settings.Concat(new SkewedClock(_temp.Combine("faketime"), "-10m").Settings)));
        using var client = node.CreateClient();

        var users = (await client.GetJsonAsync("/v1/users")).GetProperty("users").EnumerateArray();

        Assert.InRange(users.Single(u => u.GetProperty("username").GetString() == "ada").GetProperty("created_at").GetDateTimeOffset().UtcDateTime, before.AddSeconds(-5), DateTime.UtcNow);
    }

    /// <summary>The job as "status worker, attempt N", every quarter second for <paramref name="period"/> or until it ends.</summary>
    private static async Task<List<string>> WatchAsync(HttpClient client, Guid job, TimeSpan period)
    {
        var seen = new List<string>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < period)
        {
            var status = await client.GetJsonAsync($"/v1/jobs/{job}");
            seen.Add($"{status.Status()} {status.GetProperty("worker").GetString()}, attempt {status.GetProperty("attempts").GetInt32()}");
            if (status.Status() is "completed" or "failed" or "cancelled")
            {
                break;
            }

            await Task.Delay(250);
        }

        return seen;
    }

    /// <summary>The worker's start-up line, which shows its clock really was 2 minutes behind the server's.</summary>
    [GeneratedRegex(@"This node's clock is -1(19\.[5-9]|20\.[0-4])s off the database server's")]
    private static partial Regex SkewLogged();

    public void Dispose() => _temp.Dispose();
}
