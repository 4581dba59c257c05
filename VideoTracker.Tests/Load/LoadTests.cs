namespace VideoTracker.Tests.Load;

public sealed class SmallQueueFactory : TestPluginAppFactory
{
    public const int Capacity = 5;

    public SmallQueueFactory() => Settings["Jobs:QueueCapacity"] = Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Bursts of submits and pollers: every clip is accepted or refused with 503, and nothing is lost or locked.</summary>
public sealed class LoadTests(SmallQueueFactory factory) : IClassFixture<SmallQueueFactory>
{
    [Fact]
    public async Task Submit_FortyClipsInParallelWhileTheWorkerIsBusy_AcceptsWhatFitsRefusesTheRestWith503AndLosesNone()
    {
        var client = factory.CreateClient();
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 4, width: 64, height: 48, name: "burst.avi");
        var blocker = await client.SubmitRunningAsync(clip, TestPlugin.PluginId, "gated");

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            using var form = ApiClient.SubmitForm(clip);
            using var response = await client.PostAsync("/v1/video/submit", form);
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta, Body: body);
        }));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"{a.StatusCode}: {a.Body}"));
        var accepted = answers.Where(a => a.StatusCode == HttpStatusCode.Accepted).ToList();
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.Equal(SmallQueueFactory.Capacity, accepted.Count);
        Assert.All(refused, r => Assert.True(r.RetryAfter > TimeSpan.Zero));
        Assert.All(refused, r => Assert.Contains("queue is full", r.Body, StringComparison.Ordinal));

        factory.Plugin.Gated.Gate.Release(4);
        var ids = accepted.Select(a => System.Text.Json.JsonDocument.Parse(a.Body).RootElement.GetProperty("job_id").GetGuid()).Append(blocker).ToList();
        foreach (var id in ids)
        {
            Assert.Equal("completed", (await client.WaitForTerminalAsync(id)).Status());
        }

        var all = (await client.GetJsonAsync("/v1/jobs?limit=500")).GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(ids.Order(), all.Select(j => j.GetProperty("job_id").GetGuid()).Order());
        Assert.DoesNotContain(all, j => j.Status() is "running" or "pending");
        Assert.All(all, j => Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "jobs", j.GetProperty("job_id").GetGuid().ToString("N"), "results", "summary.json"))));
        Assert.Empty(Directory.GetFiles(Path.Combine(factory.DataDirectory, "staging")));
        Assert.Equal(ids.Count, Directory.GetDirectories(Path.Combine(factory.DataDirectory, "jobs")).Length);
    }

    [Fact]
    public async Task Status_HundredConcurrentPollersWhileJobsRun_AllGetAnswers()
    {
        var client = factory.CreateClient();
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 300, width: 160, height: 120, name: "polled.avi");
        var jobs = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add(await client.SubmitAsync(clip));
        }

        var failures = 0;
        var answers = 0;
        await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            using var poller = factory.CreateClient();
            for (var round = 0; round < 10; round++)
            {
                using var response = await poller.GetAsync($"/v1/video/status/{jobs[i % jobs.Count]}");
                var body = await response.Content.ReadAsStringAsync();
                Interlocked.Increment(ref answers);
                if (response.StatusCode != HttpStatusCode.OK || body.Contains("locked", StringComparison.OrdinalIgnoreCase))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));

        Assert.Equal(1000, answers);
        Assert.Equal(0, failures);
        foreach (var job in jobs)
        {
            Assert.Equal("completed", (await client.WaitForTerminalAsync(job)).Status());
        }
    }
}
