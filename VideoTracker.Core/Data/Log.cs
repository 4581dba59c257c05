namespace VideoTracker.Core.Data;

internal static partial class Log
{
    [LoggerMessage(1301, LogLevel.Warning, "The database {Where} cannot be reached yet (try {Attempt}): {Reason}")]
    public static partial void DatabaseUnreachable(ILogger logger, string where, int attempt, string reason);

    [LoggerMessage(1302, LogLevel.Information, "Took the start-up lock after {Seconds:F1}s")]
    public static partial void StartupLockTaken(ILogger logger, double seconds);

    [LoggerMessage(1303, LogLevel.Information, "Start-up task {Name} done")]
    public static partial void StartupTaskDone(ILogger logger, string name);

    [LoggerMessage(1304, LogLevel.Information, "The migration {Old} is recorded as {New}, the id it has had since it was made again")]
    public static partial void MigrationRenamed(ILogger logger, string old, string @new);

    [LoggerMessage(1305, LogLevel.Warning, "This node's clock is {Seconds:F1}s off the database server's (positive: ahead); VideoTracker keeps time by the server's")]
    public static partial void ClockSkew(ILogger logger, double seconds);
}
