using VideoTracker.Core.Detection;

namespace VideoTracker.Core.Video;

/// <summary>
/// Finds the <c>ffmpeg</c> binary that writes browser-playable H.264: <c>Detection:FfmpegPath</c> when
/// set, else <c>ffmpeg</c> on the PATH. Without it annotated videos and previews are not made, and the
/// rest of the app works. Its <c>ffprobe</c> (<see cref="ProbePath"/>) explains a clip that OpenCV cannot read.
/// </summary>
public sealed class FfmpegLocator
{
    private readonly string? _configuredProbePath;

    private readonly bool _decode;

    /// <summary>The last ffmpeg found; looked for again whenever it is gone (or was never there).</summary>
    private string? _path;

    /// <summary>The last ffprobe found, looked for the same way.</summary>
    private string? _probePath;

    public FfmpegLocator(IOptions<DetectionOptions> options)
        : this(options.Value.FfmpegPath, options.Value.DecodeWithFfmpeg, options.Value.FfprobePath)
    {
    }

    public FfmpegLocator(string? configuredPath, bool decode = true, string? configuredProbePath = null)
    {
        ConfiguredPath = string.IsNullOrWhiteSpace(configuredPath) ? null : configuredPath;
        _configuredProbePath = string.IsNullOrWhiteSpace(configuredProbePath) ? null : configuredProbePath;
        _decode = decode;
    }

    public string? ConfiguredPath { get; }

    /// <summary>
    /// The ffmpeg executable, or null when there is none: checked at each use, and looked for again while there is none,
    /// so one removed while the app runs counts as missing (jobs decode with OpenCV, the health check says so) until it
    /// is back, and one installed after start-up is used from then on.
    /// </summary>
    public string? Path => _path = StillThere(_path) ?? Find(ConfiguredPath, "ffmpeg");

    public bool IsAvailable => Path is not null;

    /// <summary>
    /// The ffprobe executable: <c>Detection:FfprobePath</c> when set, else the one beside <see cref="Path"/>, else
    /// <c>ffprobe</c> on the PATH; null when there is none. Checked and looked for again as <see cref="Path"/> is.
    /// </summary>
    public string? ProbePath => _probePath = StillThere(_probePath)
        ?? (_configuredProbePath is not null ? Find(_configuredProbePath, "ffprobe") : Beside(Path, "ffprobe") ?? Find(null, "ffprobe"));

    /// <summary>The ffmpeg that decodes detection runs (<c>Detection:DecodeWithFfmpeg</c>), or null to decode with OpenCV.</summary>
    public string? Decoder => _decode ? Path : null;

    public string UnavailableReason => ConfiguredPath is not null
        ? "ffmpeg was not found at the path set in Detection:FfmpegPath."
        : "ffmpeg is not installed on the server (apt-get install ffmpeg).";

    /// <summary>What an operator is told when ffmpeg is missing: why, and what is lost.</summary>
    public string UnavailableEffect => UnavailableReason + " Annotated videos and browser previews are unavailable.";

    private static string? StillThere(string? found) => found is not null && File.Exists(found) ? found : null;

    /// <summary>The configured file when it exists (never searched for), or the program on the PATH.</summary>
    private static string? Find(string? configured, string program)
    {
        if (configured is not null)
        {
            return File.Exists(configured) ? System.IO.Path.GetFullPath(configured) : null;
        }

        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return searchPath.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Beside(System.IO.Path.Combine(dir, program), program))
            .FirstOrDefault(found => found is not null);
    }

    /// <summary>The program in the folder of <paramref name="sibling"/>, when it is there.</summary>
    private static string? Beside(string? sibling, string program)
    {
        var folder = System.IO.Path.GetDirectoryName(sibling);
        if (string.IsNullOrEmpty(folder))
        {
            return null;
        }

        var candidate = System.IO.Path.Combine(folder, OperatingSystem.IsWindows() ? program + ".exe" : program);
        return File.Exists(candidate) ? candidate : null;
    }
}
