namespace VideoTracker.Core.Progress;

/// <summary>
/// Decides when running progress is worth a database write: only when the percent enters a new step
/// (5 % by default), never backwards, and never 100 while running. A job therefore writes at most
/// 100 / step + 1 times, whatever its frame count.
/// </summary>
public sealed class ProgressThrottle
{
    private readonly int _step;
    private int _lastBucket;

    public ProgressThrottle(int stepPercent, int startPercent = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepPercent, 1);
        _step = stepPercent;
        LastPercent = Math.Clamp(startPercent, 0, 99);
        _lastBucket = LastPercent / _step;
    }

    /// <summary>The last percent this throttle let through (or started at).</summary>
    public int LastPercent { get; private set; }

    /// <summary>Returns the percent to persist when the frame crosses into a new step, otherwise null.</summary>
    public int? Report(FrameProgress progress)
    {
        var percent = progress.RunningPercent;
        var bucket = percent / _step;
        if (bucket <= _lastBucket || percent <= LastPercent)
        {
            return null;
        }

        _lastBucket = bucket;
        LastPercent = percent;
        return percent;
    }
}
