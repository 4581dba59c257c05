using Microsoft.EntityFrameworkCore;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Jobs;

/// <summary>
/// Two things happening to the same job at once, on the real app (real SQLite file, one worker, the gated tool): each
/// overlap is put in a fixed order with <see cref="BeforeCommand"/>, never left to timing.
/// </summary>
public sealed class ControlOverlapTests : IAsyncLifetime
{
    private readonly TestPluginAppFactory _factory = new();
    private BeforeCommand _before = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _factory.Settings["Webhooks:AllowPrivateNetworks"] = "true";
        _factory.Settings["Webhooks:Url"] = $"{_receiver.Url}?token=server-wide";
        var plugin = _factory.ConfigureServices;
        _factory.ConfigureServices = services =>
        {
            plugin?.Invoke(services);
            _before = BeforeCommand.AddTo(services);
        };
    }

    public async Task DisposeAsync()
    {
        _factory.Plugin.Gated.Gate.Release(1000);
        await _factory.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    /// <summary>
    /// The cancel reads the job as pending, and the worker claims it before the cancel's write: the job is the worker's
    /// now, so the cancel stops that worker, which ends its own run. It never marks the row cancelled under a worker that
    /// goes on running the tool (and would move results into place for a cancelled job, or write into a deleted folder).
    /// </summary>
    [Fact]
    public async Task Cancel_OfAPendingJobThatAWorkerClaimsMeanwhile_StopsThatWorker()
    {
        using var client = _factory.CreateClient();
        const int frames = 4;
        var clip = TestClips.MovingSquare(_factory.Clips.Path, frames: frames, name: "overlap.avi");
        var first = await _factory.SubmitGatedToFrameAsync(client, clip, 1);
        var second = await client.SubmitAsync(clip, TestPlugin.PluginId, "gated");
        var store = _factory.Services.GetRequiredService<JobStore>();
        var running = _factory.Services.GetRequiredService<RunningJobs>();
        Assert.Equal(JobStatus.Pending, (await store.FindAsync(second, CancellationToken.None))!.Status);

        // Just before the cancel's write: the first job finishes, and the one worker claims the second.
        _before.Arm(
            sql => sql.StartsWith("UPDATE jobs", StringComparison.Ordinal) && sql.Contains("completed_at", StringComparison.Ordinal),
            async () =>
            {
                _factory.Plugin.Gated.Gate.Release(frames - 1);
                await Poll.UntilAsync(
                    () => Task.FromResult(running.Ids),
                    ids => ids.Contains(second),
                    TimeSpan.FromSeconds(60),
                    TimeSpan.FromMilliseconds(20),
                    _ => "the worker never claimed the second job");
            });

        using var cancelled = await client.PostAsync($"/v1/jobs/{second}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(JobStatus.Completed, (await store.FindAsync(first, CancellationToken.None))!.Status);
        Assert.Equal(JobStatus.Cancelled, (await store.FindAsync(second, CancellationToken.None))!.Status);
        Assert.DoesNotContain(second, running.Ids);
    }

    /// <summary>
    /// The cancel reads the job as pending; a worker (of another node) claims it before the cancel's write, and stops and
    /// puts it back in the queue before the cancel asks that worker to stop it. The job is pending again, with nobody to
    /// see a request: the cancel ends it here, where on the old code it answered 200 with the job still pending (to run later).
    /// </summary>
    [Fact]
    public async Task Cancel_OfAPendingJobClaimedAndPutBackMeanwhile_EndsIt()
    {
        using var client = _factory.CreateClient();
        var job = await SubmitBehindARunningJobAsync(client, "released.avi");
        var store = _factory.Services.GetRequiredService<JobStore>();
        const string elsewhere = "another-node";
        _before.Arm(
            sql => sql.StartsWith("UPDATE jobs", StringComparison.Ordinal) && sql.Contains("completed_at", StringComparison.Ordinal),
            async () =>
            {
                Assert.True(await store.TryClaimAsync(job, elsewhere, "worker-1", TimeSpan.FromMinutes(1), CancellationToken.None));
                _before.Arm(
                    sql => sql.Contains("SET cancel_requested_at", StringComparison.Ordinal),
                    async () => Assert.Equal(JobStatus.Pending, await store.ReleaseAsync(job, elsewhere, CancellationToken.None)));
            });

        using var cancelled = await client.PostAsync($"/v1/jobs/{job}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", JsonDocument.Parse(await cancelled.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Equal(JobStatus.Cancelled, (await store.FindAsync(job, CancellationToken.None))!.Status);
    }

    /// <summary>
    /// The job is deleted while its ending is being announced (after the announcement read the job, before it saved the
    /// job's deliveries): nothing is saved for the deleted job, so no delivery, with its URL and payload, outlives it.
    /// </summary>
    [Fact]
    public async Task Delete_WhileTheEndIsAnnounced_LeavesNoWebhookDeliveryOfTheDeletedJob()
    {
        using var client = _factory.CreateClient();
        var job = await SubmitBehindARunningJobAsync(client, "announced.avi");
        HttpStatusCode? deleted = null;
        _before.Arm(
            sql => sql.Contains("FROM webhook_deliveries", StringComparison.Ordinal),
            async () =>
            {
                using var other = _factory.CreateClient();
                using var response = await other.DeleteAsync($"/v1/jobs/{job}");
                deleted = response.StatusCode;
            });

        using var cancelled = await client.PostAsync($"/v1/jobs/{job}/cancel", null);

        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Null(await _factory.Services.GetRequiredService<JobStore>().FindAsync(job, CancellationToken.None));
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.WebhookDeliveries.CountAsync(d => d.JobId == job));
    }

    /// <summary>A gated job left pending while another holds the one worker at its first frame.</summary>
    private async Task<Guid> SubmitBehindARunningJobAsync(HttpClient client, string name)
    {
        var clip = TestClips.MovingSquare(_factory.Clips.Path, frames: 4, name: name);
        await _factory.SubmitGatedToFrameAsync(client, clip, 1);
        return await client.SubmitAsync(clip, TestPlugin.PluginId, "gated");
    }
}
