using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Data;

/// <summary>
/// The pragmas are set once per physical connection, not per open: every open of a pooled handle, and the first
/// open of a new one, must still see them.
/// </summary>
public sealed class SqlitePragmasTests : IDisposable
{
    private readonly VideoTrackerAppFactory _factory = new();

    [Fact]
    public async Task OpenConnection_PooledAndFreshHandles_EachHasBusyTimeoutAndNormalSynchronous()
    {
        var contexts = _factory.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>();
        var seen = new List<(long BusyTimeout, long Synchronous)>();
        for (var round = 0; round < 4; round++)
        {
            if (round == 2)
            {
                SqliteConnection.ClearAllPools(); // the next open gets a new native handle
            }

            await using var db = await contexts.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            seen.Add((await ScalarAsync(connection, "PRAGMA busy_timeout"), await ScalarAsync(connection, "PRAGMA synchronous")));
        }

        Assert.All(seen, s => Assert.Equal((10000L, 1L), s)); // synchronous 1 = NORMAL
    }

    public void Dispose() => _factory.Dispose();

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
