using Microsoft.Data.Sqlite;
using Npgsql;

namespace VideoTracker.Core.Storage;

/// <summary>
/// Recognises a write that failed for lack of space, wherever it happened: a file (<c>ENOSPC</c>, <c>EDQUOT</c>,
/// Windows' disk-full codes), SQLite (<c>SQLITE_FULL</c>) or PostgreSQL (<c>53100 disk_full</c>), also when wrapped.
/// Such a failure is named as such: 507 on a request, and the job's reason when a job fails.
/// </summary>
public static class DiskFull
{
    /// <summary>For a request that could not store what it sent.</summary>
    public const string RequestDetail = "The server's disk is full, so the upload could not be stored. Nothing was kept; try again once space has been freed.";

    /// <summary>For any other request that failed on a write.</summary>
    public const string GeneralDetail = "The server's disk is full, so this request could not be completed. Try again once space has been freed.";

    /// <summary>For a job whose outputs could not be written.</summary>
    public const string JobDetail = "The server's disk is full, so the job's results could not be written. Free some space and submit the video again.";

    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const int SqliteFull = 13;
    private const string PostgresDiskFull = "53100";

    /// <summary>What a child process (ffmpeg) prints when its write failed for lack of space: the C library's words for ENOSPC and EDQUOT.</summary>
    private static readonly string[] ToolWords = ["No space left on device", "Disk quota exceeded"];

    /// <summary>True when <paramref name="exception"/>, or one it wraps, says the disk is full.</summary>
    public static bool Is(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            var full = ex switch
            {
                // .NET on Unix puts the raw errno in HResult; on Windows the Win32 error as an HRESULT.
                DiskFullException => true,
                IOException io => io.HResult is Enospc or Edquot or WindowsDiskFull or WindowsHandleDiskFull,
                SqliteException sqlite => sqlite.SqliteErrorCode == SqliteFull,
                PostgresException postgres => postgres.SqlState == PostgresDiskFull,
                _ => false,
            };
            if (full)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a child process's output (ffmpeg's stderr) says that one of its writes found the disk full.</summary>
    public static bool InToolOutput(string output) => ToolWords.Any(words => output.Contains(words, StringComparison.OrdinalIgnoreCase));

    /// <summary>The free bytes on the disk that holds <paramref name="path"/>, or null when that cannot be told.</summary>
    public static long? FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(path).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>
/// A write that another process (ffmpeg) could not make because the disk is full, or one not started because the
/// disk's free space is below <c>Storage:MinFreeBytes</c>. Its message is <see cref="DiskFull.GeneralDetail"/>: no server path.
/// </summary>
public sealed class DiskFullException : IOException
{
    public DiskFullException()
        : base(DiskFull.GeneralDetail)
    {
    }

    public DiskFullException(string message)
        : base(message)
    {
    }

    public DiskFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
