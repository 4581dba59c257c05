namespace VideoTracker.Core.Results;

/// <summary>
/// The layout of a job's results folder. Frames are newline-delimited JSON, one analysed frame a line,
/// so readers can page and stream them; the summary is a small JSON file beside them.
/// </summary>
public static class ResultFiles
{
    public const string FolderName = "results";
    public const string PartialFolderName = "results.partial";
    public const string Frames = "frames.ndjson";
    public const string Summary = "summary.json";
    public const string Tracks = "tracks.json";
    public const string Thumbnails = "thumbnails";

    public static string FramesPath(string resultsDirectory) => Path.Combine(resultsDirectory, Frames);

    public static string SummaryPath(string resultsDirectory) => Path.Combine(resultsDirectory, Summary);

    /// <summary>The track table of a tracking job (absent for jobs without tracks).</summary>
    public static string TracksPath(string resultsDirectory) => Path.Combine(resultsDirectory, Tracks);

    public static string ThumbnailsPath(string resultsDirectory) => Path.Combine(resultsDirectory, Thumbnails);

    public static string ThumbnailPath(string resultsDirectory, int trackId) =>
        Path.Combine(ThumbnailsPath(resultsDirectory), trackId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".jpg");
}
