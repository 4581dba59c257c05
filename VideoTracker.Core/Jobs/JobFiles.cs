using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Jobs;

/// <summary>The files of a job on disk: its folder, its results and their clean-up.</summary>
public sealed class JobFiles(DataPaths paths, ILogger<JobFiles> logger)
{
    public string ResultsDirectory(Guid jobId) => Path.Combine(paths.JobDirectory(jobId), ResultFiles.FolderName);

    public string PartialResultsDirectory(Guid jobId) => Path.Combine(paths.JobDirectory(jobId), ResultFiles.PartialFolderName);

    /// <summary>The results folder of a completed job, or null when it has none on disk.</summary>
    public string? ExistingResults(VideoJob job)
    {
        if (job.ResultsPath is null)
        {
            return null;
        }

        var dir = paths.ToAbsolute(job.ResultsPath);
        return File.Exists(ResultFiles.SummaryPath(dir)) ? dir : null;
    }

    /// <summary>
    /// The results a run of this job moved into place, relative to the data folder, or null when there are none. A run
    /// moves its results there only once they hold every frame, so a job found running with them has finished.
    /// </summary>
    public string? FinishedResultsPath(Guid jobId)
    {
        var dir = ResultsDirectory(jobId);
        return File.Exists(ResultFiles.SummaryPath(dir)) ? paths.ToRelative(dir) : null;
    }

    public string InputPath(VideoJob job) => paths.ToAbsolute(job.StoredFilePath);

    public void DeletePartialResults(Guid jobId) => DeleteDirectory(PartialResultsDirectory(jobId));

    /// <summary>What an interrupted run left half-written: its partial results and a half-encoded preview.</summary>
    public void DeleteInterruptedRunFiles(Guid jobId)
    {
        DeletePartialResults(jobId);
        try
        {
            Video.PreviewVideos.DeleteAbandonedParts(paths.JobDirectory(jobId));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.DeleteFailed(logger, paths.JobDirectory(jobId), ex);
        }
    }

    /// <summary>Removes the whole job folder: upload, results and anything partial.</summary>
    public void DeleteAll(Guid jobId) => DeleteDirectory(paths.JobDirectory(jobId));

    private void DeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.DeleteFailed(logger, path, ex);
        }
    }
}
