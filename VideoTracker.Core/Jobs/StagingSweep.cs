using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// At start-up and then every hour: deletes what an upload left in the staging folder when its process died before it
/// became a job (a part file) or was refused, once nothing has written to it for <see cref="MaxAge"/>. An upload in
/// progress, on this node or another on a shared folder, writes to its file all along, so only leftovers are that old. A
/// clip staged again for a rerun as a hard link (<see cref="LinkSuffix"/>) keeps the clip's old times, and is left alone.
/// </summary>
public sealed class StagingSweep(DataPaths paths, TimeProvider time, ILogger<StagingSweep> logger)
    : PeriodicSweep("staging", TimeSpan.FromHours(1), time, logger)
{
    /// <summary>How long a staged file must have been left untouched before it counts as a leftover.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    /// <summary>The name ending of a rerun's hard link to its source clip, which this sweep never deletes.</summary>
    public const string LinkSuffix = ".link";

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => Task.FromResult(Sweep());

    /// <summary>One pass; returns how many leftovers it deleted.</summary>
    public int Sweep()
    {
        if (!Directory.Exists(paths.StagingDirectory))
        {
            return 0;
        }

        var cutoff = Time.GetUtcNow().UtcDateTime - MaxAge;
        var deleted = 0;
        foreach (var file in new DirectoryInfo(paths.StagingDirectory).EnumerateFiles().Where(f => !f.Name.EndsWith(LinkSuffix, StringComparison.Ordinal)))
        {
            try
            {
                if (file.LastWriteTimeUtc < cutoff)
                {
                    file.Delete();
                    deleted++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.DeleteFailed(Logger, file.FullName, ex);
            }
        }

        if (deleted > 0)
        {
            Log.StagingSwept(Logger, deleted, MaxAge.TotalHours);
        }

        return deleted;
    }
}
