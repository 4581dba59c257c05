namespace VideoTracker.Core.Video;

/// <summary>
/// Another process holds the job's preview lock, and its encode has not advanced for <c>Jobs:PreviewStallSeconds</c>:
/// the caller stopped waiting. The holder keeps its lock while it lives.
/// </summary>
public sealed class PreviewStalledException(int seconds) : Exception(
    $"The browser preview of this job is being encoded by another process (another node, or this one earlier), and its encode has not advanced for {seconds} s (Jobs:PreviewStallSeconds): it may be stuck. "
    + "Try again later. If it stays stuck, restart that node: once it has stopped, the next request encodes the preview.")
{
    public int Seconds { get; } = seconds;
}
