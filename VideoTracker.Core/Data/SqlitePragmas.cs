using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace VideoTracker.Core.Data;

/// <summary>
/// Sets the busy timeout and synchronous mode on every physical connection, once: the pool hands the same
/// native handle out again and again, and running the pragmas at each open cost a status poll three times its query.
/// It also makes <c>LOWER</c> fold all of Unicode, as .NET and PostgreSQL do (SQLite's own folds only A to Z), so
/// that a search in any case finds "Ñandú" on both databases.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL;";

    /// <summary>The native handles that have their pragmas; a handle leaves the table when it is closed for good.</summary>
    private static readonly ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!FirstOpen(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!FirstOpen(connection))
        {
            return;
        }

        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Replaces the built-in <c>lower(x)</c> for each connection EF makes. Microsoft.Data.Sqlite sets a connection's
    /// functions at every open and removes them at close, so this is per connection, not per pooled handle.
    /// </summary>
    public override DbConnection ConnectionCreated(ConnectionCreatedEventData eventData, DbConnection result)
    {
        ((SqliteConnection)result).CreateFunction("lower", (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
        return result;
    }

    private static bool FirstOpen(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Configured.TryAdd(handle, Configured);
}
