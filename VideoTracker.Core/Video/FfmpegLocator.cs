using VideoTracker.Core.Detection;

namespace VideoTracker.Core.Video;

/// <summary>
/// Finds the <c>ffmpeg</c> binary that writes browser-playable H.264: <c>Detection:FfmpegPath</c> when
/// set, else <c>ffmpeg</c> on the PATH. Without it annotated videos and previews are not made, and the
/// rest of the app works.
/// </summary>
public sealed class FfmpegLocator
{
    private readonly Lazy<string?> _path;

    private readonly bool _decode;

    public FfmpegLocator(IOptions<DetectionOptions> options)
        : this(options.Value.FfmpegPath, options.Value.DecodeWithFfmpeg)
    {
    }

    public FfmpegLocator(string? configuredPath, bool decode = true)
    {
        ConfiguredPath = string.IsNullOrWhiteSpace(configuredPath) ? null : configuredPath;
        _decode = decode;
        _path = new Lazy<string?>(Find);
    }

    public string? ConfiguredPath { get; }

    /// <summary>The ffmpeg executable, or null when there is none.</summary>
    public string? Path => _path.Value;

    public bool IsAvailable => Path is not null;

    /// <summary>The ffmpeg that decodes detection runs (<c>Detection:DecodeWithFfmpeg</c>), or null to decode with OpenCV.</summary>
    public string? Decoder => _decode ? Path : null;

    public string UnavailableReason => ConfiguredPath is not null
        ? "ffmpeg was not found at the path set in Detection:FfmpegPath."
        : "ffmpeg is not installed on the server (apt-get install ffmpeg).";

    private string? Find()
    {
        if (ConfiguredPath is not null)
        {
            return File.Exists(ConfiguredPath) ? System.IO.Path.GetFullPath(ConfiguredPath) : null;
        }

        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in searchPath.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
