using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace VideoTracker.Tests.Jobs;

public sealed class RetentionTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    [Fact]
    public async Task Sweep_DeletesTerminalJobsOlderThanRetentionWithTheirFiles_AndKeepsActiveAndRecentOnes()
    {
        var client = factory.CreateClient();
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 4, name: "retention.avi");
        var old = await client.SubmitAsync(clip);
        await client.WaitForTerminalAsync(old);
        var active = await client.SubmitAsync(clip, TestPlugin.PluginId, "gated");
        await client.WaitForStatusAsync(active, s => s.Status() == "running");

        var deleted = await SweepAtAsync(DateTimeOffset.UtcNow.AddDays(3));

        Assert.Equal(1, deleted);
        using (var gone = await client.GetAsync($"/v1/jobs/{old}"))
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
        }

        Assert.False(Directory.Exists(Path.Combine(factory.DataDirectory, "jobs", old.ToString("N"))));
        Assert.Equal("running", (await client.GetStatusAsync(active)).Status());
        factory.Plugin.Gated.Gate.Release(4);
        Assert.Equal("completed", (await client.WaitForTerminalAsync(active)).Status());

        // Seen from today, the job that just completed is recent: the sweep keeps it.
        Assert.Equal(0, await SweepAtAsync(DateTimeOffset.UtcNow));
        Assert.Equal("completed", (await client.GetStatusAsync(active)).Status());
    }

    private Task<int> SweepAtAsync(DateTimeOffset now) => new RetentionService(
        factory.Services.GetRequiredService<JobStore>(),
        factory.Services.GetRequiredService<JobControl>(),
        new FakeTimeProvider(now),
        Options.Create(new RetentionOptions { Days = 2 }),
        NullLogger<RetentionService>.Instance).SweepAsync(CancellationToken.None);
}
