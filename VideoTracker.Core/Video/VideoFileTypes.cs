using System.Collections.Frozen;

namespace VideoTracker.Core.Video;

/// <summary>The file extensions taken as video: the stored upload keeps one of them, and the web form offers them.</summary>
public static class VideoFileTypes
{
    private static readonly string[] Ordered = [".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv", ".flv", ".ts", ".3gp"];

    public static FrozenSet<string> Extensions { get; } = Ordered.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The file picker's accept attribute: any video MIME type, or one of the extensions.</summary>
    public static string AcceptAttribute { get; } = "video/*," + string.Join(',', Ordered);

    public static bool HasVideoExtension(string fileName) => Extensions.Contains(Path.GetExtension(fileName));
}
