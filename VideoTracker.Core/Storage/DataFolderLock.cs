namespace VideoTracker.Core.Storage;

/// <summary>
/// On SQLite, one process per data folder: an exclusive OS lock on <c>videotracker.lock</c>, held for the life of
/// the process. The operating system drops it when the process dies, however it dies, so a crash never
/// blocks the next start. Who holds it is written beside it, for the refusal message.
/// </summary>
public sealed class DataFolderLock(DataPaths paths) : IDisposable
{
    private FileStream? _lock;

    public string LockFile => Path.Combine(paths.Root, "videotracker.lock");

    private string OwnerFile => Path.Combine(paths.Root, "videotracker.lock.owner");

    /// <summary>Takes the lock, or throws <see cref="StartupFailedException"/> naming the folder and the process that has it.</summary>
    public void Acquire()
    {
        if (_lock is not null)
        {
            return;
        }

        try
        {
            _lock = new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new StartupFailedException(
                $"The data folder {paths.Root} is in use by another VideoTracker process ({ReadOwner()}). " +
                "SQLite allows one process per data folder. Stop that process, give this one its own Storage:DataDirectory, " +
                "or, to run several nodes on one data folder, use PostgreSQL (Database:Provider=Postgres with Node:Role web and worker).", ex);
        }

        File.WriteAllText(OwnerFile, $"pid {Environment.ProcessId} on {Environment.MachineName}, since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z");
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }

    private string ReadOwner()
    {
        try
        {
            return File.Exists(OwnerFile) ? File.ReadAllText(OwnerFile).Trim() : "unknown process";
        }
        catch (IOException)
        {
            return "unknown process";
        }
    }
}
