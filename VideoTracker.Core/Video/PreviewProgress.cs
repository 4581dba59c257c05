using System.Diagnostics;

namespace VideoTracker.Core.Video;

/// <summary>
/// How far a preview encode has got, in percent of the header's frame count; with a <paramref name="file"/>, the
/// percent is also written there (replaced whole) for the nodes that wait for this encode: when it changes, and at
/// least every <see cref="Beat"/> while frames come, so a waiter can tell an encode that advances from one that is stuck.
/// </summary>
public sealed class PreviewProgress(string? file = null)
{
    /// <summary>The longest time between two writes of the file while the encode advances.</summary>
    public static readonly TimeSpan Beat = TimeSpan.FromSeconds(5);

    private int _percent = -1;
    private int _frames;
    private long _written;

    public int Percent => Math.Max(0, Volatile.Read(ref _percent));

    public void Report(int frames, int totalFrames)
    {
        if (totalFrames <= 0)
        {
            return;
        }

        var percent = Math.Clamp(frames * 100 / totalFrames, 0, 99);
        var changed = Interlocked.Exchange(ref _percent, percent) != percent;
        var advanced = Interlocked.Exchange(ref _frames, frames) != frames;
        if (file is not null && (changed || (advanced && Stopwatch.GetElapsedTime(Volatile.Read(ref _written)) >= Beat)))
        {
            Volatile.Write(ref _written, Stopwatch.GetTimestamp());
            var next = file + NextSuffix;
            try
            {
                File.WriteAllText(next, percent.ToString(CultureInfo.InvariantCulture));
                File.Move(next, file, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Only the waiting nodes' percent is stale; the encode goes on. A full disk may have left the next one empty.
                TryDelete(next);
            }
        }
    }

    /// <summary>The file the percent is written to before it replaces <c>file</c>.</summary>
    private const string NextSuffix = ".next";

    /// <summary>Deletes an encode's progress <paramref name="file"/> and the next one it was writing.</summary>
    public static void Delete(string file)
    {
        File.Delete(file);
        File.Delete(file + NextSuffix);
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
