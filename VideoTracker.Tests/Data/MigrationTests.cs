using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using VideoTracker.Core.Data;
using VideoTracker.Tests.Support;

namespace VideoTracker.Tests.Data;

public sealed class MigrationTests : IDisposable
{
    private readonly VideoTrackerAppFactory _factory = new();

    [Fact]
    public async Task Startup_DatabaseAtInitialCreateWithLegacyRow_MigratesAndShowsNullProgressBesideNewJobs()
    {
        var legacyId = Guid.NewGuid();
        var databaseFile = Path.Combine(_factory.DataDirectory, "videotracker.db");
        await CreateLegacyDatabaseAsync(databaseFile, legacyId);

        using var client = _factory.CreateClient();
        var legacy = await client.GetStatusAsync(legacyId);
        var clip = TestClips.MovingSquare(Path.Combine(_factory.DataDirectory, "clips"), frames: 5);
        var fresh = await client.SubmitAsync(clip);
        var freshStatus = await client.WaitForTerminalAsync(fresh);

        Assert.Equal("completed", legacy.Status());
        Assert.Null(legacy.Progress());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, legacy.GetProperty("progress").ValueKind);
        Assert.Equal(100, freshStatus.Progress());
        var listed = (await client.GetJsonAsync("/v1/jobs")).GetProperty("jobs").EnumerateArray()
            .Single(j => j.GetProperty("job_id").GetGuid() == legacyId);
        Assert.Null(listed.Progress());

        await using var connection = new SqliteConnection($"Data Source={databaseFile}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(MigrationId) FROM __EFMigrationsHistory";
        var applied = (string?)await command.ExecuteScalarAsync();
        Assert.StartsWith("20261125090553_InitialCreate,20261125090602_AddJobProgress,", applied, StringComparison.Ordinal);
        Assert.Contains("_AddLiveState", applied, StringComparison.Ordinal);
        command.CommandText = "SELECT group_concat(name) FROM pragma_table_info('jobs')";
        var columns = ((string?)await command.ExecuteScalarAsync())!.Split(',');
        Assert.Superset(new HashSet<string> { "current_frame", "total_frames", "fps", "eta_seconds", "cancel_requested_at", "worker" }, columns.ToHashSet());
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public void Migrations_InitialCreateAndAddJobProgress_AreBothThereInThatOrder()
    {
        using var db = new SqliteDesignTimeDbContextFactory().CreateDbContext([]);
        var migrations = db.GetService<IMigrationsAssembly>().Migrations.Keys.ToList();

        Assert.Equal(2, migrations.Count(m => m.EndsWith("_InitialCreate", StringComparison.Ordinal) || m.EndsWith("_AddJobProgress", StringComparison.Ordinal)));
        Assert.True(string.CompareOrdinal(migrations.Single(m => m.EndsWith("_InitialCreate", StringComparison.Ordinal)), migrations.Single(m => m.EndsWith("_AddJobProgress", StringComparison.Ordinal))) < 0);
    }

    [Fact]
    public void Migrations_EachProvider_CoverTheWholeModel()
    {
        using var sqlite = new SqliteDesignTimeDbContextFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeDbContextFactory().CreateDbContext([]);

        Assert.False(sqlite.Database.HasPendingModelChanges(), "The model changed without a SQLite migration (Data/Migrations/Sqlite).");
        Assert.False(postgres.Database.HasPendingModelChanges(), "The model changed without a PostgreSQL migration (Data/Migrations/Postgres).");
        Assert.All(sqlite.Database.GetMigrations(), m => Assert.DoesNotContain(m, postgres.Database.GetMigrations()));
        Assert.NotEmpty(postgres.Database.GetMigrations());
    }

    private static async Task CreateLegacyDatabaseAsync(string databaseFile, Guid legacyId)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databaseFile)!);
        var options = new DbContextOptionsBuilder<SqliteVideoTrackerDbContext>().UseSqlite($"Data Source={databaseFile};Pooling=False").Options;
        await using (var db = new SqliteVideoTrackerDbContext(options))
        {
            await db.GetService<IMigrator>().MigrateAsync("InitialCreate");
            var columns = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM pragma_table_info('jobs')").ToListAsync();
            Assert.DoesNotContain("progress", columns);
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO jobs (job_id, plugin_id, tool, device, status, options_json, original_file_name, stored_file_path,
                                  file_size_bytes, created_at, updated_at, completed_at, attempts)
                VALUES ({0}, 'opencv-classic', 'video_motion_detection', 'cpu', 'completed', '{{}}', 'old.avi', 'jobs/old/input.avi',
                        123, '2025-01-01 10:00:00', '2025-01-01 10:05:00', '2025-01-01 10:05:00', 0)
                """,
                legacyId.ToString().ToUpperInvariant());
        }
    }

    public void Dispose() => _factory.Dispose();
}
