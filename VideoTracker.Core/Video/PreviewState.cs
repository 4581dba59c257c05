namespace VideoTracker.Core.Video;

/// <summary>Where a job's browser preview stands.</summary>
public abstract record PreviewState
{
    public sealed record Ready : PreviewState;

    public sealed record Preparing(int Percent) : PreviewState;

    public sealed record NotStarted : PreviewState;

    public sealed record Unavailable(string Reason) : PreviewState;
}
