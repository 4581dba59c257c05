using System.ComponentModel.DataAnnotations;

namespace VideoTracker.Core.Jobs;

public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Terminal jobs older than this many days are deleted with their files. 0 keeps every job.</summary>
    [Range(0, 36_500)] public int Days { get; init; }

    /// <summary>How often the sweep runs.</summary>
    [Range(1, 86_400)] public int SweepMinutes { get; init; } = 60;
}

/// <summary>Deletes terminal jobs older than <c>Retention:Days</c>, row, webhook deliveries and files together.</summary>
public sealed class RetentionService(
    JobStore store,
    JobControl control,
    TimeProvider time,
    IOptions<RetentionOptions> options,
    ILogger<RetentionService> logger) : PeriodicSweep("retention", TimeSpan.FromMinutes(options.Value.SweepMinutes), time, logger)
{
    protected override bool Enabled => options.Value.Days > 0;

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    /// <summary>One pass; returns how many jobs it deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Days <= 0)
        {
            return 0;
        }

        var cutoff = Time.GetUtcNow().UtcDateTime.AddDays(-options.Value.Days);
        var deleted = 0;
        IReadOnlyList<Guid> batch;
        do
        {
            batch = await store.TerminalBeforeAsync(cutoff, 200, cancellationToken).ConfigureAwait(false);
            foreach (var id in batch)
            {
                if ((await control.DeleteAsync(id, cancellationToken).ConfigureAwait(false)).IsDone)
                {
                    deleted++;
                }
            }
        }
        while (batch.Count == 200);

        if (deleted > 0)
        {
            Log.RetentionDeleted(Logger, deleted, options.Value.Days);
        }

        return deleted;
    }
}
