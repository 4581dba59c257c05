using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Data;

public sealed class MigrationTests : IDisposable
{
    // AddAuditIndexes as main had it from 3f372f0 for four minutes, and as it has been since ddd8572 (the same migration).
    private const string AuditIndexesThen = "20261127130040_AddAuditIndexes";
    private const string AuditIndexesNow = "20261127133405_AddAuditIndexes";

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

    [Fact]
    public async Task AppContext_OnSqlite_HasNoModelChangesOutsideItsMigrations()
    {
        using var client = _factory.CreateClient();
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();

        Assert.IsType<SqliteVideoTrackerDbContext>(db);
        Assert.False(db.Database.HasPendingModelChanges(), "The app's SQLite model differs from Data/Migrations/Sqlite.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [PostgresFact]
    public async Task AppContext_OnPostgres_HasNoModelChangesOutsideItsMigrations()
    {
        await using var database = await TestPostgres.CreateAsync();
        using var factory = new VideoTrackerAppFactory();
        foreach (var (key, value) in database.Settings)
        {
            factory.Settings[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        using var client = factory.CreateClient();
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();

        Assert.IsType<PostgresVideoTrackerDbContext>(db);
        Assert.False(db.Database.HasPendingModelChanges(), "The app's PostgreSQL model differs from Data/Migrations/Postgres.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        // Names from before the snake_case convention are kept: Identity's and the history's columns, EF's key names.
        Assert.Equal(1L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'NormalizedUserName'"));
        Assert.Equal(1L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.table_constraints WHERE table_name = 'jobs' AND constraint_name = 'PK_jobs'"));
        Assert.Equal(1L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = '__EFMigrationsHistory' AND column_name = 'MigrationId'"));
    }

    [Fact]
    public void Model_EveryDateTimeProperty_IsStoredAndReadAsUtc()
    {
        using var db = new SqliteDesignTimeDbContextFactory().CreateDbContext([]);
        var dates = db.Model.GetEntityTypes().SelectMany(e => e.GetProperties())
            .Where(p => p.ClrType == typeof(DateTime) || p.ClrType == typeof(DateTime?))
            .ToList();

        Assert.Contains(dates, p => p.ClrType == typeof(DateTime?));
        Assert.All(dates, p =>
        {
            var converter = p.GetValueConverter();
            Assert.NotNull(converter);
            var local = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Local);
            Assert.Equal(local.ToUniversalTime(), converter.ConvertToProvider(local));
            Assert.Equal(DateTimeKind.Utc, ((DateTime)converter.ConvertFromProvider(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Unspecified))!).Kind);
        });
    }

    // Start-up on a database another version migrated: one from main when AddAuditIndexes had its first id, and one
    // from a newer version. Each is made by EF's migrator, then its history is written as that version wrote it.
    [Fact]
    public async Task Start_DatabaseMigratedWhenAddAuditIndexesHadItsFirstId_RecordsItUnderItsIdNowAndMigratesTheRest()
    {
        using var factory = new VideoTrackerAppFactory();
        var file = await MigratedDatabaseAsync(factory.DataDirectory, AuditIndexesNow);
        await ScalarAsync(file, $"UPDATE __EFMigrationsHistory SET MigrationId = '{AuditIndexesThen}' WHERE MigrationId = '{AuditIndexesNow}'");

        using var client = factory.CreateClient();
        using var live = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();
        var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.DoesNotContain(AuditIndexesThen, applied);
    }

    [Fact]
    public async Task Start_DatabaseMigratedByANewerVersion_ExitsNamingTheMigrationAndLeavesTheDatabaseAsItWas()
    {
        using var temp = new TempDirectory();
        var data = temp.Combine("data");
        var file = await MigratedDatabaseAsync(data, migration: null);
        const string Newer = "20991231000000_AddSomethingLater";
        await ScalarAsync(file, $"INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('{Newer}', '10.0.0')");
        var before = await ScalarAsync(file, "SELECT group_concat(MigrationId) FROM __EFMigrationsHistory");

        var (code, output) = await AppProcess.RunUntilExitAsync(data, null, TimeSpan.FromSeconds(60));

        Assert.Equal(1, code);
        Assert.Contains(
            $"VideoTracker cannot start: The database was migrated by a newer version of VideoTracker than this one ({Newer}, which this version does not have).",
            output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Equal(before, await ScalarAsync(file, "SELECT group_concat(MigrationId) FROM __EFMigrationsHistory"));
    }

    /// <summary>A SQLite file in <paramref name="data"/> migrated up to <paramref name="migration"/> (every one when null).</summary>
    private static async Task<string> MigratedDatabaseAsync(string data, string? migration)
    {
        Directory.CreateDirectory(data);
        var file = Path.Combine(data, "videotracker.db");
        var options = new DbContextOptionsBuilder<SqliteVideoTrackerDbContext>().UseVideoTrackerSqlite($"Data Source={file};Pooling=False").Options;
        await using var db = new SqliteVideoTrackerDbContext(options);
        await db.GetService<IMigrator>().MigrateAsync(migration);
        return file;
    }

    /// <summary>Runs <paramref name="sql"/> on its own connection, and answers its first value, if any.</summary>
    private static async Task<string?> ScalarAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task CreateLegacyDatabaseAsync(string databaseFile, Guid legacyId)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databaseFile)!);
        var options = new DbContextOptionsBuilder<SqliteVideoTrackerDbContext>().UseVideoTrackerSqlite($"Data Source={databaseFile};Pooling=False").Options;
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
