namespace VideoTracker.Core.Progress;

/// <summary>What a tool reports after each decoded frame.</summary>
public readonly record struct FrameProgress(int CurrentFrame, int TotalFrames)
{
    /// <summary>⌊current × 100 / total⌋, capped at 99: only a completed job shows 100.</summary>
    public int RunningPercent => Percent(CurrentFrame, TotalFrames);

    public static int Percent(long current, long total)
    {
        if (total <= 0 || current <= 0)
        {
            return 0;
        }

        var percent = current * 100 / total;
        return (int)Math.Min(percent, 99);
    }
}
