using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VideoTracker.Core.Accounts;
using VideoTracker.Core.Data;

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

    /// <summary>
    /// Entries older than <c>Retention:AuditDays</c> go, in batches, however many there are; younger ones stay, and with
    /// <c>AuditDays</c> 0 every entry stays.
    /// </summary>
    [Fact]
    public async Task SweepAudit_DeletesEntriesOlderThanAuditDaysInBatches_AndKeepsTheRest()
    {
        var now = DateTime.UtcNow;
        const int Old = (2 * RetentionService.AuditBatch) + 7;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync())
        {
            db.AuditEntries.AddRange(Enumerable.Range(0, Old).Select(i => new AuditEntry { At = now.AddDays(-40).AddSeconds(i), Action = AuditActions.SignOut, Username = "old" }));
            db.AuditEntries.AddRange(Enumerable.Range(0, 3).Select(i => new AuditEntry { At = now.AddDays(-20).AddSeconds(i), Action = AuditActions.SignOut, Username = "recent" }));
            await db.SaveChangesAsync();
        }

        var kept = await Retention(now, new RetentionOptions { AuditDays = 0 }).SweepAuditAsync(CancellationToken.None);
        var deleted = await Retention(now, new RetentionOptions { AuditDays = 30 }).SweepAuditAsync(CancellationToken.None);

        Assert.Equal(0, kept);
        Assert.Equal(Old, deleted);
        var audit = factory.Services.GetRequiredService<AuditLog>();
        Assert.Equal(0, (await audit.ListAsync(new AuditFilter("old"), 10, 0, CancellationToken.None)).Count);
        Assert.Equal(3, (await audit.ListAsync(new AuditFilter("recent"), 10, 0, CancellationToken.None)).Count);
    }

    private Task<int> SweepAtAsync(DateTimeOffset now) => Retention(now, new RetentionOptions { Days = 2 }).SweepAsync(CancellationToken.None);

    private RetentionService Retention(DateTimeOffset now, RetentionOptions options) => new(
        factory.Services.GetRequiredService<JobStore>(),
        factory.Services.GetRequiredService<JobControl>(),
        factory.Services.GetRequiredService<AuditLog>(),
        new FakeTimeProvider(now),
        Options.Create(options),
        NullLogger<RetentionService>.Instance);
}
