using System.Text;
using System.Threading.Channels;
using VideoTracker.Core.Jobs;

namespace VideoTracker.Core.Webhooks;

/// <summary>
/// The table of deliveries is the truth; this writes to it and signals the dispatcher. A job's own
/// <c>webhook_url</c> is saved at submit as a waiting delivery; when the job ends its body is fixed
/// and it becomes pending, together with one for <see cref="WebhookOptions.Url"/>.
/// </summary>
public sealed class WebhookOutbox(
    IDbContextFactory<VideoTrackerDbContext> contexts,
    JobStore jobs,
    JobFiles files,
    IOptions<WebhookOptions> options,
    TimeProvider time) : IJobEndedHandler
{
    private readonly WebhookQueue _ready = new();

    /// <summary>Ids of deliveries ready to send, for the dispatcher.</summary>
    public ChannelReader<Guid> Ready => _ready;

    /// <summary>Saves a job's own webhook URL (already checked by <see cref="WebhookUrlGuard"/>) until the job ends.</summary>
    public async Task AddJobUrlAsync(Guid jobId, string url, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var now = time.GetUtcNow().UtcDateTime;
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                DeliveryId = Guid.NewGuid(),
                JobId = jobId,
                Url = url,
                Status = WebhookDeliveryStatus.Waiting,
                CreatedAt = now,
                UpdatedAt = now,
            });
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task OnJobEndedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (job is null || !job.Status.IsTerminal())
        {
            return;
        }

        var body = await BuildBodyAsync(job, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        List<Guid> ready;
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.WebhookDeliveries.Where(d => d.JobId == jobId).ToListAsync(cancellationToken).ConfigureAwait(false);

            // The job may be deleted meanwhile (its deliveries with it): its row is held until this commits, and when it is
            // gone nothing is written, so no delivery (a URL, a payload) outlives its job and none is sent for it.
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var held = transaction.ConfigureAwait(false);
            if (await db.Jobs.Where(j => j.JobId == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.UpdatedAt, j => j.UpdatedAt), cancellationToken)
                .ConfigureAwait(false) == 0)
            {
                return;
            }

            foreach (var row in rows.Where(r => r.Status == WebhookDeliveryStatus.Waiting))
            {
                row.Status = WebhookDeliveryStatus.Pending;
                row.Body = body;
                row.UpdatedAt = now;
            }

            if (!string.IsNullOrWhiteSpace(options.Value.Url) && rows.All(r => r.Url != options.Value.Url))
            {
                var row = new WebhookDelivery
                {
                    DeliveryId = Guid.NewGuid(),
                    JobId = jobId,
                    Url = options.Value.Url,
                    Status = WebhookDeliveryStatus.Pending,
                    Body = body,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                db.WebhookDeliveries.Add(row);
                rows.Add(row);
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            ready = [.. rows.Where(r => r.Status == WebhookDeliveryStatus.Pending).Select(r => r.DeliveryId)];
        }

        foreach (var id in ready)
        {
            _ready.Add(id);
        }
    }

    /// <summary>
    /// Queues the deliveries the database says are to send: each one pending since <paramref name="pendingFor"/> ago or
    /// longer (at start-up, <see cref="TimeSpan.Zero"/>: all of them; later, only those that no node has claimed for that
    /// long, as when their node died before it could), and each claim left by a node that
    /// stopped mid-round, older than <see cref="WebhookOptions.ClaimTimeout"/>. On several nodes each may queue the same
    /// ones: <see cref="ClaimAsync"/> lets one send each.
    /// </summary>
    public async Task ResumePendingAsync(TimeSpan pendingFor, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var now = time.GetUtcNow().UtcDateTime;
            var stale = now - options.Value.ClaimTimeout;
            // Pending since its UpdatedAt (written, its job ended, or released), not its CreatedAt: a job's own URL is written at submit.
            var pendingBefore = now - pendingFor;
            var ids = await db.WebhookDeliveries.Where(Claimable(stale)).Where(d => d.Status != WebhookDeliveryStatus.Pending || d.UpdatedAt <= pendingBefore)
                .OrderBy(d => d.CreatedAt).Select(d => d.DeliveryId).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var id in ids)
            {
                _ready.Add(id);
            }
        }
    }

    /// <summary>
    /// Claims a delivery for this node, in one conditional UPDATE, so that of the nodes (or queue entries) that
    /// hold the same id, exactly one sends it. Null when it is not there to claim: delivered, given up, or
    /// being sent by someone else.
    /// </summary>
    public async Task<WebhookDelivery?> ClaimAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var now = time.GetUtcNow().UtcDateTime;
            var claimed = await db.WebhookDeliveries.Where(d => d.DeliveryId == deliveryId).Where(Claimable(now - options.Value.ClaimTimeout))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Sending).SetProperty(d => d.UpdatedAt, now), cancellationToken)
                .ConfigureAwait(false);
            return claimed == 1
                ? await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.DeliveryId == deliveryId, cancellationToken).ConfigureAwait(false)
                : null;
        }
    }

    /// <summary>Puts a claimed delivery back as pending, for another node's sweep or the next start, when this node stops mid-round.</summary>
    public async Task ReleaseAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var now = time.GetUtcNow().UtcDateTime;
            await db.WebhookDeliveries.Where(d => d.DeliveryId == deliveryId && d.Status == WebhookDeliveryStatus.Sending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Pending).SetProperty(d => d.UpdatedAt, now), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static System.Linq.Expressions.Expression<Func<WebhookDelivery, bool>> Claimable(DateTime staleBefore) =>
        d => d.Status == WebhookDeliveryStatus.Pending || (d.Status == WebhookDeliveryStatus.Sending && d.UpdatedAt < staleBefore);

    public async Task<WebhookDelivery?> FindAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.DeliveryId == deliveryId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A job's deliveries, oldest first, as the job page and the API show them to an admin or to others.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryView>> ForJobAsync(Guid jobId, bool admin, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.JobId == jobId).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.OrderBy(d => d.CreatedAt).Select(d => WebhookDeliveryView.Of(d, serverWide: d.Url == options.Value.Url, admin))];
        }
    }

    /// <summary>Records the outcome of a round of attempts.</summary>
    public async Task RecordAsync(Guid deliveryId, WebhookDeliveryStatus status, int attempts, int? statusCode, string? error, CancellationToken cancellationToken)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var now = time.GetUtcNow().UtcDateTime;
            await db.WebhookDeliveries.Where(d => d.DeliveryId == deliveryId).ExecuteUpdateAsync(
                s => s.SetProperty(d => d.Status, status)
                    .SetProperty(d => d.Attempts, d => d.Attempts + attempts)
                    .SetProperty(d => d.LastStatusCode, statusCode)
                    .SetProperty(d => d.LastError, error)
                    .SetProperty(d => d.UpdatedAt, now)
                    .SetProperty(d => d.DeliveredAt, status == WebhookDeliveryStatus.Delivered ? now : null),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The payload: the event, the job's state, its summary and counts, and when it finished.</summary>
    internal async Task<string> BuildBodyAsync(VideoJob job, CancellationToken cancellationToken)
    {
        JsonElement? summary = null;
        if (job.Status == JobStatus.Completed && files.ExistingResults(job) is { } directory && File.Exists(ResultFiles.SummaryPath(directory)))
        {
            await using var file = File.OpenRead(ResultFiles.SummaryPath(directory));
            using var doc = await JsonDocument.ParseAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
            summary = doc.RootElement.Clone();
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event", "job." + job.Status.ToWire());
            json.WriteString("job_id", job.JobId);
            json.WriteString("status", job.Status.ToWire());
            if (job.Progress is { } progress)
            {
                json.WriteNumber("progress", progress);
            }
            else
            {
                json.WriteNull("progress");
            }

            json.WriteString("plugin_id", job.PluginId);
            json.WriteString("tool", job.Tool);
            json.WritePropertyName("summary");
            WriteOrNull(json, summary);
            json.WritePropertyName("counts");
            WriteOrNull(json, summary is { } s && s.TryGetProperty("counts", out var counts) ? counts : null);
            json.WriteString("finished_at", DateTime.SpecifyKind(job.CompletedAt ?? job.UpdatedAt, DateTimeKind.Utc));
            if (job.Error is { } error)
            {
                json.WriteString("error", error);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOrNull(Utf8JsonWriter json, JsonElement? element)
    {
        if (element is { ValueKind: not JsonValueKind.Null } e)
        {
            e.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
