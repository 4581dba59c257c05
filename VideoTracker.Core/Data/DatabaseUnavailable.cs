using Microsoft.Data.Sqlite;
using Npgsql;

namespace VideoTracker.Core.Data;

/// <summary>
/// Recognises a database that is away for now, wherever the failure surfaced: PostgreSQL's connection lost or
/// refused, its server shutting down or restarting (<c>57P0x</c>, class <c>08</c>), a timeout, a full connection
/// pool, or SQLite still busy or locked after its timeout; also when wrapped (EF Core wraps a transient failure in an
/// <see cref="InvalidOperationException"/>). Such a failure says nothing about the job or the request: a job is left
/// for recovery and a request answers 503, never "failed".
/// </summary>
public static class DatabaseUnavailable
{
    /// <summary>For a request that needed the database.</summary>
    public const string RequestDetail = "The database is not answering right now, so this request could not be completed. Try again shortly.";

    /// <summary>Seconds a client is told to wait (<c>Retry-After</c>).</summary>
    public const int RetryAfterSeconds = 5;

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>True when <paramref name="exception"/>, or one it wraps, says the database cannot be used for now.</summary>
    public static bool Is(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            var away = ex switch
            {
                PostgresException postgres => postgres.IsTransient || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || postgres.SqlState is "57P01" or "57P02" or "57P03",

                // Not a server's answer: the connection could not be opened, was lost, or timed out.
                NpgsqlOperationInProgressException => false,
                NpgsqlException => true,
                SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
                _ => false,
            };
            if (away)
            {
                return true;
            }
        }

        return false;
    }
}
