using System.Collections.Concurrent;
using System.Diagnostics;

namespace VideoTracker.Core.Video;

/// <summary>
/// How another process's preview encode is seen to advance from this one: each look at the encode's progress file
/// (see <see cref="PreviewProgress"/>) compares what the file is now (its content, length and time) with what it was
/// at the last look, and remembers, by this process's own clock, when it last found it different. The file's time is
/// only compared with its own earlier value, never with this clock, so nodes whose clocks differ see the same.
/// </summary>
internal sealed class PreviewProgressWatch
{
    private readonly ConcurrentDictionary<Guid, Seen> _seen = new();

    /// <summary>
    /// Looks at the job's progress <paramref name="file"/> now: how long it has stayed as it is (since this process saw
    /// it change, or first saw it), and whether this process has seen it change at all; null while there is no file.
    /// </summary>
    public Look? LookAt(Guid jobId, string file)
    {
        if (Signature(file) is not { } now)
        {
            _seen.TryRemove(jobId, out _);
            return null;
        }

        var at = Stopwatch.GetTimestamp();
        var seen = _seen.AddOrUpdate(
            jobId,
            _ => new Seen(now, at, Changed: false),
            (_, before) => before.Signature == now ? before : new Seen(now, at, Changed: true));
        return new Look(Stopwatch.GetElapsedTime(seen.Since, at), seen.Changed);
    }

    public void Forget(Guid jobId) => _seen.TryRemove(jobId, out _);

    /// <summary>How many jobs' progress files this process remembers.</summary>
    public int Count => _seen.Count;

    /// <summary>What the file is now, or null when there is none (or it went while being read).</summary>
    private static string? Signature(string file)
    {
        try
        {
            var info = new FileInfo(file);
            return info.Exists
                ? string.Create(CultureInfo.InvariantCulture, $"{info.LastWriteTimeUtc.Ticks}:{info.Length}:{File.ReadAllText(file)}")
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>What the file was at the last look, and since when (this process's timestamp) it has been so.</summary>
    private sealed record Seen(string Signature, long Since, bool Changed);

    /// <summary>How long the file has stayed as it is now, and whether this process has seen it change.</summary>
    public readonly record struct Look(TimeSpan Unchanged, bool SeenChanging);
}
