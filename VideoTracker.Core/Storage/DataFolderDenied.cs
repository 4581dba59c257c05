namespace VideoTracker.Core.Storage;

/// <summary>
/// Recognises a read or write that the data folder refused this process (EACCES, EPERM: .NET's
/// <see cref="UnauthorizedAccessException"/>), as when an operator changes its permissions while the app runs, or a write
/// to a disk mounted (or remounted) read-only (EROFS), also when wrapped. Named as such: a request answers 500 saying so,
/// and a job fails with that reason; neither names a path.
/// </summary>
public static class DataFolderDenied
{
    /// <summary>For a request that could not read or write what it needed.</summary>
    public const string RequestDetail =
        "The server may not read or write its data folder, so this request could not be completed. An administrator should check the permissions in Storage:DataDirectory, and that its disk is not mounted read-only.";

    /// <summary>For a job whose files could not be read or written.</summary>
    public const string JobDetail =
        "The server may not read or write this job's files: its data folder does not allow it. An administrator should check the permissions in Storage:DataDirectory, and that its disk is not mounted read-only; then submit the video again.";

    /// <summary>.NET on Unix puts the raw errno in an <see cref="IOException"/>'s HResult: EROFS is 30.</summary>
    private const int Erofs = 30;

    /// <summary>Windows' ERROR_WRITE_PROTECT as an HRESULT.</summary>
    private const int WindowsWriteProtect = unchecked((int)0x80070013);

    /// <summary>True when <paramref name="exception"/>, or one it wraps, is a refused read or write.</summary>
    public static bool Is(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is UnauthorizedAccessException or IOException { HResult: Erofs or WindowsWriteProtect })
            {
                return true;
            }
        }

        return false;
    }
}
