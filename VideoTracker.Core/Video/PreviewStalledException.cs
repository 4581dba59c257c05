namespace VideoTracker.Core.Video;

/// <summary>
/// A preview encode has not advanced for <c>Jobs:PreviewStallSeconds</c>. Either another process holds the job's
/// preview lock and the caller stopped waiting (the holder keeps its lock while it lives), or this node's own ffmpeg
/// was stopped (<see cref="OfThisNode"/>); a later request may get the preview either way.
/// </summary>
public sealed class PreviewStalledException : Exception
{
    public PreviewStalledException(int seconds)
        : base(
            $"The browser preview of this job is being encoded by another process (another node, or this one earlier), and its encode has not advanced for {seconds} s (Jobs:PreviewStallSeconds): it may be stuck. "
            + "Try again later. If it stays stuck, restart that node: once it has stopped, the next request encodes the preview.") =>
        Seconds = seconds;

    private PreviewStalledException(int seconds, string message, Exception cause)
        : base(message, cause) =>
        Seconds = seconds;

    public int Seconds { get; }

    /// <summary>This node's ffmpeg made no progress for the limit and was stopped (what it was doing is in <paramref name="cause"/>, for the log).</summary>
    public static PreviewStalledException OfThisNode(int seconds, Exception cause) => new(
        seconds,
        $"The browser preview's encode made no progress for {seconds} s (Jobs:PreviewStallSeconds) and was stopped: the server's disk or processors may be too busy. Try again later; the next request starts it anew.",
        cause);
}
