using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VideoTracker.Core.Data;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.Tests.Webhooks;

/// <summary>
/// Claiming a delivery before sending it, on a real migrated SQLite file, with a fake clock: of many nodes (or
/// queue entries) that hold the same id, exactly one sends it; a claim left by a node that died mid-round is
/// taken over only once it is older than <see cref="WebhookOptions.ClaimTimeout"/>.
/// </summary>
public sealed class WebhookClaimTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly MigratedSqlite _database;

    public WebhookClaimTests()
    {
        _database = new MigratedSqlite(_time, services =>
        {
            services.AddSingleton<JobFiles>();
            services.AddSingleton(Options.Create(new WebhookOptions()));
            services.AddSingleton<WebhookOutbox>();
            services.AddSingleton<WebhookResumeSweep>();
        });
    }

    private WebhookOutbox Outbox => _database.Services.GetRequiredService<WebhookOutbox>();

    public Task InitializeAsync() => _database.MigrateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Claim_SixteenAtOnce_ExactlyOneWinsAndTheRowSaysSending()
    {
        var id = await AddAsync(WebhookDeliveryStatus.Pending);

        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Outbox.ClaimAsync(id, CancellationToken.None))));

        var winner = Assert.Single(claims, c => c is not null);
        Assert.Equal(id, winner!.DeliveryId);
        Assert.Equal("{\"event\":\"job.completed\"}", winner.Body);
        Assert.Equal(WebhookDeliveryStatus.Sending, (await Outbox.FindAsync(id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Claim_LeftByADeadNode_IsTakenOverOnlyAfterTheClaimTimeout_AndResumedThen()
    {
        var id = await AddAsync(WebhookDeliveryStatus.Pending);
        Assert.NotNull(await Outbox.ClaimAsync(id, CancellationToken.None)); // the node that then dies

        _time.Advance(new WebhookOptions().ClaimTimeout - TimeSpan.FromSeconds(1));
        var early = await Outbox.ClaimAsync(id, CancellationToken.None);
        var resumedEarly = await ResumedAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        var resumedLate = await ResumedAsync();
        var late = await Outbox.ClaimAsync(id, CancellationToken.None);
        var again = await Outbox.ClaimAsync(id, CancellationToken.None);

        Assert.Null(early);
        Assert.DoesNotContain(id, resumedEarly);
        Assert.Contains(id, resumedLate);
        Assert.NotNull(late);
        Assert.Null(again);
    }

    [Fact]
    public async Task Release_OfAClaimedDelivery_MakesItPendingAndClaimableAgain_AndTouchesNoFinishedOne()
    {
        var id = await AddAsync(WebhookDeliveryStatus.Pending);
        var delivered = await AddAsync(WebhookDeliveryStatus.Delivered);
        Assert.NotNull(await Outbox.ClaimAsync(id, CancellationToken.None));

        await Outbox.ReleaseAsync(id, CancellationToken.None);
        await Outbox.ReleaseAsync(delivered, CancellationToken.None);

        Assert.Equal(WebhookDeliveryStatus.Pending, (await Outbox.FindAsync(id, CancellationToken.None))!.Status);
        Assert.Equal(WebhookDeliveryStatus.Delivered, (await Outbox.FindAsync(delivered, CancellationToken.None))!.Status);
        Assert.NotNull(await Outbox.ClaimAsync(id, CancellationToken.None));
        Assert.Null(await Outbox.ClaimAsync(delivered, CancellationToken.None));
    }

    /// <summary>
    /// A node that died mid-round, or after writing a delivery and before claiming it, while this node runs: the sweep's
    /// later passes queue both once their claim's timeout has passed, and never a delivery just written, which is in its
    /// own node's queue. Before the sweep, only a start-up queued them, so they waited for the next restart.
    /// </summary>
    [Fact]
    public async Task ResumeSweep_AfterStartUp_QueuesClaimsAndPendingDeliveriesNobodyClaimedForTheClaimTimeout_NotFreshOnes()
    {
        var sweep = _database.Services.GetRequiredService<WebhookResumeSweep>();
        var atStart = await AddAsync(WebhookDeliveryStatus.Pending);
        var startUp = await SweptAsync(sweep);
        var claimed = await AddAsync(WebhookDeliveryStatus.Pending);
        Assert.NotNull(await Outbox.ClaimAsync(claimed, CancellationToken.None)); // the node that then dies mid-round
        var orphan = await AddAsync(WebhookDeliveryStatus.Pending);             // written by a node that died before claiming it
        var timeout = new WebhookOptions().ClaimTimeout;

        _time.Advance(timeout - TimeSpan.FromSeconds(1));
        var fresh = await AddAsync(WebhookDeliveryStatus.Pending);
        var early = await SweptAsync(sweep);
        _time.Advance(TimeSpan.FromSeconds(2));
        var late = await SweptAsync(sweep);

        Assert.Equal([atStart], startUp);
        Assert.Empty(early);
        Assert.Equal(new[] { atStart, claimed, orphan }.Order(), late.Order()); // atStart: queued at start, never claimed since
        Assert.DoesNotContain(fresh, late);
    }

    /// <summary>
    /// A job's own URL is written as waiting at submit and becomes pending when the job ends, maybe hours later: the node
    /// that ended it has it in its queue, so a later pass leaves it until it has been pending for the claim's timeout.
    /// Before, the pass went by when the row was written, so every node queued it as soon as the job ended.
    /// </summary>
    [Fact]
    public async Task ResumeSweep_AfterStartUp_LeavesAJobUrlThatJustBecamePending_UntilPendingForTheClaimTimeout()
    {
        var sweep = _database.Services.GetRequiredService<WebhookResumeSweep>();
        Assert.Empty(await SweptAsync(sweep));
        var jobUrl = await AddAsync(WebhookDeliveryStatus.Waiting);
        var timeout = new WebhookOptions().ClaimTimeout;
        _time.Advance(timeout + TimeSpan.FromMinutes(10));

        await BecomePendingAsync(jobUrl); // what OnJobEndedAsync writes when the job ends
        var justEnded = await SweptAsync(sweep);
        _time.Advance(timeout + TimeSpan.FromSeconds(1));
        var late = await SweptAsync(sweep);

        Assert.Empty(justEnded);
        Assert.Equal([jobUrl], late);
    }

    /// <summary>
    /// A slow receiver holds every slot of the dispatcher, which reads no more ids meanwhile: the deliveries behind it stay
    /// pending, and each pass of the sweep finds them again. Each is in the queue once; before, each pass added another
    /// copy of every one, for as long as the receiver stayed slow. Once read, an id can be queued again.
    /// </summary>
    [Fact]
    public async Task ResumeSweep_PassesWhileTheDispatcherReadsNothing_QueueEachDeliveryOnce()
    {
        var sweep = _database.Services.GetRequiredService<WebhookResumeSweep>();
        var waiting = new[] { await AddAsync(WebhookDeliveryStatus.Pending), await AddAsync(WebhookDeliveryStatus.Pending) };

        for (var pass = 0; pass < 5; pass++)
        {
            await sweep.SweepAsync(CancellationToken.None);
            _time.Advance(WebhookResumeSweep.Period + new WebhookOptions().ClaimTimeout);
        }

        var read = Drain();
        var again = await SweptAsync(sweep);

        Assert.Equal(waiting.Order(), read.Order());
        Assert.Equal(waiting.Order(), again.Order());
    }

    private async Task<Guid> AddAsync(WebhookDeliveryStatus status)
    {
        await using var db = await _database.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();
        var now = _time.GetUtcNow().UtcDateTime;
        var row = new WebhookDelivery
        {
            DeliveryId = Guid.NewGuid(),
            JobId = Guid.NewGuid(),
            Url = "http://127.0.0.1:9/hook",
            Status = status,
            Body = "{\"event\":\"job.completed\"}",
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WebhookDeliveries.Add(row);
        await db.SaveChangesAsync();
        return row.DeliveryId;
    }

    private async Task BecomePendingAsync(Guid deliveryId)
    {
        await using var db = await _database.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();
        var now = _time.GetUtcNow().UtcDateTime;
        await db.WebhookDeliveries.Where(d => d.DeliveryId == deliveryId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Pending).SetProperty(d => d.UpdatedAt, now));
    }

    /// <summary>The ids a start-up resume queues, read back from the outbox's channel.</summary>
    private async Task<List<Guid>> ResumedAsync()
    {
        await Outbox.ResumePendingAsync(TimeSpan.Zero, CancellationToken.None);
        return Drain();
    }

    /// <summary>The ids one pass of the sweep queues.</summary>
    private async Task<List<Guid>> SweptAsync(WebhookResumeSweep sweep)
    {
        await sweep.SweepAsync(CancellationToken.None);
        return Drain();
    }

    private List<Guid> Drain()
    {
        var ids = new List<Guid>();
        while (Outbox.Ready.TryRead(out var id))
        {
            ids.Add(id);
        }

        return ids;
    }
}
