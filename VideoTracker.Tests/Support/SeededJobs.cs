using Microsoft.EntityFrameworkCore;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Support;

/// <summary>
/// A migrated database, SQLite or a fresh PostgreSQL one, holding a history of ended jobs and, created after them, a
/// queue of pending ones (two at a time share their creation time), vacuumed and analysed as a database in use would be. For plan
/// tests: what the planner does with many ended jobs beside a queue.
/// </summary>
public sealed class SeededJobs : IAsyncDisposable
{
    private readonly TestPostgres? _postgres;

    private SeededJobs(MigratedSqlite database, TestPostgres? postgres, IReadOnlyList<VideoJob> jobs)
    {
        Database = database;
        _postgres = postgres;
        Jobs = jobs;
    }

    public const string PluginId = "opencv-classic";

    public const string ToolId = "video_motion_detection";

    /// <summary>When the first ended job was created; each job comes a minute after the one before.</summary>
    public static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public MigratedSqlite Database { get; }

    /// <summary>Every job seeded, oldest first.</summary>
    public IReadOnlyList<VideoJob> Jobs { get; }

    public IReadOnlyList<VideoJob> Pending => [.. Jobs.Where(j => j.Status == JobStatus.Pending)];

    public JobStore Store => Database.Services.GetRequiredService<JobStore>();

    /// <summary><paramref name="ended"/> completed, failed and cancelled jobs in turn, then <paramref name="pending"/> pending ones.</summary>
    public static async Task<SeededJobs> CreateAsync(bool postgres, int ended, int pending)
    {
        var server = postgres ? await TestPostgres.CreateAsync() : null;
        var database = new MigratedSqlite(TimeProvider.System, _ => { }, server?.Settings);
        await database.MigrateAsync();
        JobStatus[] endings = [JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled];
        var jobs = Enumerable.Range(0, ended).Select(i => Job(i, endings[i % endings.Length], Start.AddMinutes(i)))
            .Concat(Enumerable.Range(0, pending).Select(i => Job(ended + i, JobStatus.Pending, Start.AddMinutes(ended + (i / 2)))))
            .ToList();
        await using (var db = await database.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync())
        {
            db.Jobs.AddRange(jobs);
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlRawAsync(postgres ? "VACUUM ANALYZE" : "ANALYZE");
        }

        return new SeededJobs(database, server, jobs);
    }

    /// <summary>A context of the app's own kind on this database, for a plan test's query.</summary>
    public Task<VideoTrackerDbContext> ContextAsync() =>
        Database.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    /// <summary>
    /// The <paramref name="index"/>th job. Ids ascend with it: EF Core inserts a batch in key order, and the rows must
    /// lie in the table in the order they were created, as a real table's do (the planner weighs that).
    /// </summary>
    private static VideoJob Job(int index, JobStatus status, DateTime createdAt)
    {
        var id = new Guid(index, 0, 0, Guid.NewGuid().ToByteArray()[8..]);
        return new VideoJob
        {
            JobId = id,
            PluginId = PluginId,
            Tool = ToolId,
            Status = status,
            OriginalFileName = $"clip-{createdAt:HHmm}.avi",
            StoredFilePath = $"jobs/{id:N}/input.avi",
            CreatedAt = createdAt,
            UpdatedAt = status.IsTerminal() ? createdAt.AddMinutes(1) : createdAt,
            CompletedAt = status.IsTerminal() ? createdAt.AddMinutes(1) : null,
        };
    }
}
