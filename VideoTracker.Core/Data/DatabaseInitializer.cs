using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using VideoTracker.Core.Nodes;
using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Data;

/// <summary>
/// Before anything else starts: creates the data folder, waits briefly for the database, reads its clock (PostgreSQL,
/// see <see cref="DatabaseClock"/>), applies the provider's migrations and runs the <see cref="IStartupTask"/>s in
/// registration order. On PostgreSQL all of that happens inside one advisory lock, so nodes that start together take
/// turns instead of racing. On SQLite it first takes the data folder's lock: one process per folder.
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<VideoTrackerDbContext> contexts,
    IServiceScopeFactory scopes,
    DataPaths paths,
    DataFolderLock folderLock,
    IOptions<DatabaseOptions> options,
    IOptions<NodeOptions> node,
    DatabaseClock clock,
    TimeProvider time,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    /// <summary>The advisory lock key every node takes around start-up work ("VTStart").</summary>
    internal const long StartupLockKey = 0x5654_5374_6172_74;

    /// <summary>How long a node waits for another to finish its start-up work (migrations, first admin) before giving up.</summary>
    private const int StartupLockWaitSeconds = 300;

    /// <summary>A node whose own clock is further than this from the PostgreSQL server's says so once, at start-up.</summary>
    private static readonly TimeSpan NotedSkew = TimeSpan.FromSeconds(1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            paths.EnsureCreated(takesUploads: node.Value.WritesDataMarker);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupFailedException(
                $"The data folder {paths.Root} (Storage:DataDirectory) cannot be written ({ex.Message.Split(" : '")[0].TrimEnd('.')}): give this process write access to it, or set Storage:DataDirectory to a folder it can write.", ex);
        }

        if (options.Value.Kind == DatabaseProvider.Sqlite)
        {
            folderLock.Acquire();
        }

        if (options.Value.Kind == DatabaseProvider.Postgres)
        {
            await StartOnPostgresAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            await MigrateAsync(db, cancellationToken).ConfigureAwait(false);

            // WAL lets status readers run while a worker writes; it is a property of the file and sticks.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }

        await RunStartupTasksAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task StartOnPostgresAsync(CancellationToken cancellationToken)
    {
        var connection = await ConnectWithRetryAsync(options.Value.PostgresConnectionString!, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // The app's clock from here on, before anything stamps or judges a time (see DatabaseClock).
            await clock.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            var skew = TimeProvider.System.GetUtcNow() - clock.GetUtcNow();
            if (skew.Duration() > NotedSkew)
            {
                Log.ClockSkew(logger, skew.TotalSeconds);
            }

            var waited = Stopwatch.StartNew();
            // Another node may hold the lock for as long as its migrations take on a busy machine: wait past Npgsql's 30 s default.
            await ExecuteAsync(connection, $"SELECT pg_advisory_lock({StartupLockKey})", cancellationToken, StartupLockWaitSeconds).ConfigureAwait(false);
            Log.StartupLockTaken(logger, waited.Elapsed.TotalSeconds);
            try
            {
                await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
                {
                    await MigrateAsync(db, cancellationToken).ConfigureAwait(false);
                }

                await RunStartupTasksAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Closing the session would release it too; unlocking at once lets the next node go on.
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({StartupLockKey})", CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task MigrateAsync(VideoTrackerDbContext db, CancellationToken cancellationToken)
    {
        await MigrationHistory.PrepareAsync(db.Database, logger, cancellationToken).ConfigureAwait(false);
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunStartupTasksAsync(CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            foreach (var task in scope.ServiceProvider.GetServices<IStartupTask>())
            {
                try
                {
                    await task.RunAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or StartupFailedException))
                {
                    throw new StartupFailedException($"The start-up task '{task.Name}' failed: {ex.Message}", ex);
                }

                Log.StartupTaskDone(logger, task.Name);
            }
        }
    }

    /// <summary>Tries to open a connection until <c>Database:ConnectRetrySeconds</c> have passed, then gives up with a readable reason.</summary>
    private async Task<NpgsqlConnection> ConnectWithRetryAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var where = $"{builder.Host}:{builder.Port}/{builder.Database}";
        var deadline = time.GetUtcNow().AddSeconds(options.Value.ConnectRetrySeconds);
        for (var attempt = 1; ; attempt++)
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                if (time.GetUtcNow() >= deadline)
                {
                    throw new StartupFailedException(
                        $"Cannot reach the PostgreSQL database {where} (ConnectionStrings:Postgres) after {attempt} tries " +
                        $"in {options.Value.ConnectRetrySeconds}s (Database:ConnectRetrySeconds): {ex.Message}", ex);
                }

                Log.DatabaseUnreachable(logger, where, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, int? timeoutSeconds = null)
    {
        var command = new NpgsqlCommand(sql, connection);
        if (timeoutSeconds is { } seconds)
        {
            command.CommandTimeout = seconds;
        }

        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
