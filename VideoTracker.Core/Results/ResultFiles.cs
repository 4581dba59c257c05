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
    public const string Series = "series.json";
    public const string FrameIndex = "frames.idx";
    public const string Thumbnails = "thumbnails";

    public static string FramesPath(string resultsDirectory) => Path.Combine(resultsDirectory, Frames);

    public static string SummaryPath(string resultsDirectory) => Path.Combine(resultsDirectory, Summary);

    /// <summary>The stored <see cref="DetectionSeries"/>, written when the job ends.</summary>
    public static string SeriesPath(string resultsDirectory) => Path.Combine(resultsDirectory, Series);

    /// <summary>The sparse <see cref="Results.FrameIndex"/> of the frames file, written with it.</summary>
    public static string FrameIndexPath(string resultsDirectory) => Path.Combine(resultsDirectory, FrameIndex);

    /// <summary>The track table of a tracking job (absent for jobs without tracks).</summary>
    public static string TracksPath(string resultsDirectory) => Path.Combine(resultsDirectory, Tracks);

    public static string ThumbnailsPath(string resultsDirectory) => Path.Combine(resultsDirectory, Thumbnails);

    public static string ThumbnailPath(string resultsDirectory, int trackId) =>
        Path.Combine(ThumbnailsPath(resultsDirectory), trackId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".jpg");
}
