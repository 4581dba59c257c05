namespace VideoTracker.Tests.Jobs;

/// <summary>Queue positions of a page of jobs, computed in one query on the real SQLite file.</summary>
public sealed class QueuePositionTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    [Fact]
    public async Task ListAsync_ThreeJobsWaitingBehindARunningOne_NumbersThemOldestFirstAndTheRunningOneNot()
    {
        var client = factory.CreateClient();
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 2, name: "positions.avi");
        var running = await client.SubmitAsync(clip, TestPlugin.PluginId, "gated");
        await client.WaitForStatusAsync(running, s => s.Status() == "running");
        var waiting = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            waiting.Add(await client.SubmitAsync(clip, TestPlugin.PluginId, "gated"));
        }

        try
        {
            var (jobs, count) = await factory.Services.GetRequiredService<JobViews>().ListAsync(new JobListFilter(), 50, 0, CancellationToken.None);

            Assert.Equal(4, count);
            var positions = jobs.ToDictionary(v => v.JobId, v => v.QueuePosition);
            Assert.Null(positions[running]);
            Assert.Equal([1, 2, 3], waiting.Select(id => positions[id]));
            Assert.Equal(2, (await factory.Services.GetRequiredService<JobViews>().GetAsync(waiting[1], CancellationToken.None))!.QueuePosition);
        }
        finally
        {
            factory.Plugin.Gated.Gate.Release(4 * 2);
            foreach (var id in waiting.Prepend(running))
            {
                await client.WaitForTerminalAsync(id);
            }
        }
    }
}
