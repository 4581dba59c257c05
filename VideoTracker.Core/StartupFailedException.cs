namespace VideoTracker.Core;

/// <summary>
/// The app cannot start as configured (a database it cannot reach, a data folder another process holds…).
/// The message is written for the operator; the host prints it and exits with a non-zero code.
/// </summary>
public sealed class StartupFailedException : Exception
{
    public StartupFailedException(string message)
        : base(message)
    {
    }

    public StartupFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StartupFailedException()
    {
    }
}
