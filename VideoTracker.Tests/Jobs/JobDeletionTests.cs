using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using VideoTracker.Core.Data;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.Tests.Jobs;

/// <summary>A job's webhook deliveries (their URLs, which may hold a secret, and payloads) go when the job goes.</summary>
public sealed class JobDeletionTests : IAsyncLifetime
{
    private readonly VideoTrackerAppFactory _factory = new();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _factory.Settings["Webhooks:AllowPrivateNetworks"] = "true";
    }

    [Fact]
    public async Task Delete_EndedJobWithAWebhook_DeletesItsDeliveriesWithIt()
    {
        using var client = _factory.CreateClient();
        var clip = TestClips.MovingSquare(_factory.Clips.Path, frames: 4, name: "hooked.avi");
        var job = await client.SubmitAsync(clip, fields: new Dictionary<string, string> { ["webhook_url"] = $"{_receiver.Url}?token=secret-in-url" });
        var kept = await client.SubmitAsync(clip, fields: new Dictionary<string, string> { ["webhook_url"] = _receiver.Url.ToString() });
        await client.WaitForTerminalAsync(job);
        await client.WaitForTerminalAsync(kept);
        await _receiver.WaitForAsync(2);

        using var deleted = await client.DeleteAsync($"/v1/jobs/{job}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, await DeliveriesOfAsync(job));
        Assert.Equal(1, await DeliveriesOfAsync(kept));
    }

    [Fact]
    public async Task StartupCleanup_DeliveriesWhoseJobIsGone_AreDeleted_OthersKept()
    {
        using var client = _factory.CreateClient();
        var clip = TestClips.MovingSquare(_factory.Clips.Path, frames: 4, name: "kept.avi");
        var kept = await client.SubmitAsync(clip, fields: new Dictionary<string, string> { ["webhook_url"] = _receiver.Url.ToString() });
        await client.WaitForTerminalAsync(kept);
        var gone = Guid.NewGuid();   // a job deleted by an older version, which left its delivery behind
        var contexts = _factory.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                DeliveryId = Guid.NewGuid(),
                JobId = gone,
                Url = $"{_receiver.Url}?token=secret-in-url",
                Status = WebhookDeliveryStatus.Delivered,
                Body = "{}",
                CreatedAt = DateTime.UtcNow,
                UpdatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        await new OrphanedDeliveriesCleanup(_factory.Services.GetRequiredService<JobStore>(), NullLogger<OrphanedDeliveriesCleanup>.Instance)
            .RunAsync(CancellationToken.None);

        Assert.Equal(0, await DeliveriesOfAsync(gone));
        Assert.Equal(1, await DeliveriesOfAsync(kept));
    }

    private async Task<int> DeliveriesOfAsync(Guid job)
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();
        return await db.WebhookDeliveries.CountAsync(d => d.JobId == job);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _receiver.DisposeAsync();
    }
}
