using System.Collections.Concurrent;
using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// At start-up and then every hour: deletes what an upload left in the staging folder when its process died before it
/// became a job (a part file) or was refused, once nothing has written to it for <see cref="MaxAge"/>. An upload in
/// progress, on this node or another on a shared folder, writes to its file all along, so only leftovers are that old. A
/// clip staged again for a rerun as a hard link (<see cref="LinkSuffix"/>) keeps the clip's old times, which must not be
/// stamped (they are the clip's <c>Last-Modified</c> and ETag): its name says when it was staged (<see cref="LinkName"/>),
/// and it is deleted once that is <see cref="MaxAge"/> ago.
/// </summary>
public sealed class StagingSweep(DataPaths paths, TimeProvider time, ILogger<StagingSweep> logger)
    : PeriodicSweep("staging", TimeSpan.FromHours(1), time, logger)
{
    /// <summary>How long a staged file must have been left untouched before it counts as a leftover.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    /// <summary>The name ending of a rerun's hard link to its source clip.</summary>
    public const string LinkSuffix = ".link";

    /// <summary>Links an earlier version staged, named without their time, each with when this sweep first saw it.</summary>
    private readonly ConcurrentDictionary<string, DateTime> _unnamedLinksSeen = new(StringComparer.Ordinal);

    /// <summary>A new name for a rerun's hard link staged at <paramref name="stagedAt"/>: <c>{id}.{unix seconds}.link</c>.</summary>
    public static string LinkName(DateTimeOffset stagedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{Guid.NewGuid():N}.{stagedAt.ToUnixTimeSeconds()}{LinkSuffix}");

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => Task.FromResult(Sweep());

    /// <summary>One pass; returns how many leftovers it deleted.</summary>
    public int Sweep()
    {
        if (!Directory.Exists(paths.StagingDirectory))
        {
            return 0;
        }

        var now = Time.GetUtcNow().UtcDateTime;
        var cutoff = now - MaxAge;
        var deleted = 0;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in new DirectoryInfo(paths.StagingDirectory).EnumerateFiles())
        {
            present.Add(file.FullName);
            try
            {
                if (StagedAt(file, now) < cutoff)
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

        // Forget the links that are gone (submitted, or deleted above: a name is never staged twice).
        foreach (var gone in _unnamedLinksSeen.Keys.Where(k => !present.Contains(k)))
        {
            _unnamedLinksSeen.TryRemove(gone, out _);
        }

        if (deleted > 0)
        {
            Log.StagingSwept(Logger, deleted, MaxAge.TotalHours);
        }

        return deleted;
    }

    /// <summary>
    /// When <paramref name="file"/> was last written, as far as the sweep can tell: a link's time is in its name (its
    /// own times are its source clip's); one named by an earlier version, without it, counts from when this sweep first saw it.
    /// </summary>
    private DateTime StagedAt(FileInfo file, DateTime now)
    {
        if (!file.Name.EndsWith(LinkSuffix, StringComparison.Ordinal))
        {
            return file.LastWriteTimeUtc;
        }

        var stem = Path.GetFileNameWithoutExtension(file.Name);
        return long.TryParse(Path.GetExtension(stem).TrimStart('.'), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime
            : _unnamedLinksSeen.GetOrAdd(file.FullName, now);
    }
}
