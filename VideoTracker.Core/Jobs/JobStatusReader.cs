using System.Collections.Concurrent;
using System.Data;
using Microsoft.Data.Sqlite;
using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// The read behind the status poll, which every open job page sends every 2 s. On PostgreSQL it is EF Core's
/// compiled, untracked query of only the status columns. On SQLite, where the database is in the process, EF
/// Core's per-query work cost more than the read itself (renting and resetting a context, taking a pooled
/// connection under a lock, registering EF's SQL functions on it, preparing the statement): there a few
/// connections of our own each keep the SELECT prepared, and are handed out without a lock.
/// </summary>
public sealed class JobStatusReader(IDbContextFactory<VideoTrackerDbContext> contexts, IOptions<DatabaseOptions> database, DataPaths paths)
    : IDisposable
{
    // Compiled per reader (one a host), not once a process: a compiled query serves one model only, and a process may
    // host apps on both providers (the tests do).
    private readonly Func<VideoTrackerDbContext, Guid, CancellationToken, Task<JobStatusSnapshot?>> _compiledQuery =
        EF.CompileAsyncQuery((VideoTrackerDbContext db, Guid jobId, CancellationToken _) => db.Jobs.AsNoTracking()
            .Where(j => j.JobId == jobId)
            .Select(j => new JobStatusSnapshot(
                j.JobId, j.Status, j.Progress, j.CurrentFrame, j.TotalFrames, j.Fps, j.EtaSeconds, j.Error, j.Attempts,
                j.CreatedAt, j.StartedAt, j.UpdatedAt, j.CompletedAt, j.PluginId, j.Tool))
            .FirstOrDefault());

    private readonly ConcurrentBag<PreparedStatusRead> _idle = [];
    private readonly int _maxIdle = Math.Max(4, 2 * Environment.ProcessorCount);
    private bool _disposed;

    public Task<JobStatusSnapshot?> FindAsync(Guid jobId, CancellationToken cancellationToken) =>
        database.Value.Kind == DatabaseProvider.Sqlite
            ? Task.FromResult(FindPrepared(jobId))
            : FindWithQueryAsync(jobId, cancellationToken);

    /// <summary>EF Core's compiled query: the reference the prepared SQLite read is tested against.</summary>
    internal async Task<JobStatusSnapshot?> FindWithQueryAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await _compiledQuery(db, jobId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Synchronous on purpose: SQLite runs in this process, so an await would only add a state machine. Reads in
    /// WAL mode never wait for the worker's writes.
    /// </summary>
    internal JobStatusSnapshot? FindPrepared(Guid jobId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var read = _idle.TryTake(out var idle) ? idle : new PreparedStatusRead(paths.DatabaseFile);
        var keep = false;
        try
        {
            var snapshot = read.Find(jobId);
            keep = true;
            return snapshot;
        }
        finally
        {
            if (keep && !_disposed && _idle.Count < _maxIdle)
            {
                _idle.Add(read);
            }
            else
            {
                read.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var read))
        {
            read.Dispose();
        }
    }

    /// <summary>One connection of our own with the status SELECT prepared on it; used by one caller at a time.</summary>
    private sealed class PreparedStatusRead : IDisposable
    {
        // The columns of JobStatusSnapshot, in its order (the same names as in JobStore's claim statement).
        private const string Sql = """
            SELECT job_id, status, progress, current_frame, total_frames, fps, eta_seconds, error, attempts,
                   created_at, started_at, updated_at, completed_at, plugin_id, tool
              FROM jobs
             WHERE job_id = $id
            """;

        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _id;

        public PreparedStatusRead(string databaseFile)
        {
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ToString());
            _connection.Open();
            using (var pragma = _connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA busy_timeout=10000;";
                pragma.ExecuteNonQuery();
            }

            _command = _connection.CreateCommand();
            _command.CommandText = Sql;
            // EF Core keeps a Guid key as upper-case TEXT on SQLite; a Text parameter binds a Guid the same way.
            _id = _command.Parameters.Add("$id", SqliteType.Text);
            _command.Prepare();
        }

        public JobStatusSnapshot? Find(Guid jobId)
        {
            _id.Value = jobId;
            using var row = _command.ExecuteReader(CommandBehavior.SingleRow);
            if (!row.Read())
            {
                return null;
            }

            return new JobStatusSnapshot(
                row.GetGuid(0),
                JobStatusExtensions.TryParseWire(row.GetString(1), out var status) ? status : JobStatus.Failed,
                NullableInt(row, 2),
                NullableInt(row, 3),
                NullableInt(row, 4),
                row.IsDBNull(5) ? null : row.GetDouble(5),
                row.IsDBNull(6) ? null : row.GetDouble(6),
                row.IsDBNull(7) ? null : row.GetString(7),
                row.GetInt32(8),
                Utc(row.GetDateTime(9)),
                row.IsDBNull(10) ? null : Utc(row.GetDateTime(10)),
                Utc(row.GetDateTime(11)),
                row.IsDBNull(12) ? null : Utc(row.GetDateTime(12)),
                row.GetString(13),
                row.GetString(14));
        }

        public void Dispose()
        {
            _command.Dispose();
            _connection.Dispose();
        }

        private static int? NullableInt(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetInt32(ordinal);

        private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }
}
