namespace VideoTracker.Core.Video;

/// <summary>A failure whose message is written for the person who submitted the job.</summary>
public sealed class VideoToolException : Exception
{
    public VideoToolException(string message)
        : base(message)
    {
    }

    public VideoToolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public VideoToolException()
    {
    }

    /// <summary>The clip itself could not be opened or decoded, so <see cref="UnreadableClips"/> may say why.</summary>
    public bool ClipUnreadable { get; init; }
}
