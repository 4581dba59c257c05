namespace VideoTracker.App;

/// <summary>How sizes, durations and times read, in API messages and on every page alike.</summary>
public static class DisplayFormat
{
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    public static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m")
        : span.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m {span.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)Math.Round(span.TotalSeconds))}s");

    /// <summary>A time in a clip, as players show it: 0:09, 12:34, 1:02:03.</summary>
    public static string ClipTime(double ms)
    {
        var span = TimeSpan.FromSeconds(Math.Max(0, Math.Floor(ms / 1000)));
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");
    }

    /// <summary>A stored time (always UTC), labelled as such: the server's own time zone means nothing to a reader elsewhere.</summary>
    public static string Utc(DateTime utc) => string.Create(CultureInfo.InvariantCulture, $"{utc:yyyy-MM-dd HH:mm:ss} UTC");
}
