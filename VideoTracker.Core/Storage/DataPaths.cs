namespace VideoTracker.Core.Storage;

/// <summary>Every path the app writes, derived from <see cref="StorageOptions.DataDirectory"/>.</summary>
public sealed class DataPaths
{
    /// <summary>A relative <c>Storage:DataDirectory</c> is taken from the folder the app was started in.</summary>
    public DataPaths(IOptions<StorageOptions> options)
        : this(Path.GetFullPath(options.Value.DataDirectory, Directory.GetCurrentDirectory()))
    {
    }

    public DataPaths(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string DatabaseFile => Path.Combine(Root, "videotracker.db");

    public string JobsDirectory => Path.Combine(Root, "jobs");

    public string StagingDirectory => Path.Combine(Root, "staging");

    public string ModelsDirectory => Path.Combine(Root, "models");

    /// <summary>Folder of one job: its upload and its results. The name is the job id, never client input.</summary>
    public string JobDirectory(Guid jobId) => Path.Combine(JobsDirectory, jobId.ToString("N"));

    public string ToAbsolute(string relativePath) => Path.GetFullPath(Path.Combine(Root, relativePath));

    public string ToRelative(string absolutePath) => Path.GetRelativePath(Root, absolutePath);

    /// <summary>
    /// Written by every node that takes uploads (<c>web</c>, <c>all</c>) into the data folder. A <c>worker</c> whose
    /// folder lacks it is not on the shared folder: it claims no job and its readiness answers 503.
    /// </summary>
    public string MarkerFile => Path.Combine(Root, ".videotracker-data");

    public bool HasMarker => File.Exists(MarkerFile);

    /// <summary>
    /// Creates the folders, and the <see cref="MarkerFile"/> when <paramref name="takesUploads"/>, and checks that the
    /// folder takes a file: <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when it does not
    /// (read-only, or not this process's to write).
    /// </summary>
    public void EnsureCreated(bool takesUploads = true)
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(JobsDirectory);
        Directory.CreateDirectory(StagingDirectory);
        var probe = Path.Combine(StagingDirectory, $".writable-{Guid.NewGuid():N}");
        File.WriteAllBytes(probe, []);
        File.Delete(probe);
        if (takesUploads && !HasMarker)
        {
            File.WriteAllText(MarkerFile, "VideoTracker's data folder: every node (web and workers) mounts this same folder.\n");
        }
    }
}
