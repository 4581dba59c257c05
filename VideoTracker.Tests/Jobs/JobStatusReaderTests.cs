namespace VideoTracker.Tests.Jobs;

/// <summary>
/// The status poll's prepared SQLite read against its reference, EF Core's compiled query, on a real migrated
/// SQLite file: the same snapshot for rows in every state, with every nullable column both set and empty.
/// </summary>
public sealed class JobStatusReaderTests : IAsyncLifetime
{
    private readonly MigratedSqlite _database = new(TimeProvider.System, services => services.AddSingleton<JobStatusReader>());

    private IServiceProvider Services => _database.Services;

    public Task InitializeAsync() => _database.MigrateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task FindPrepared_RowsInEveryState_MatchTheCompiledQueryColumnForColumn()
    {
        var store = Services.GetRequiredService<JobStore>();
        var reader = Services.GetRequiredService<JobStatusReader>();
        var created = new DateTime(2026, 11, 26, 9, 30, 15, DateTimeKind.Utc).AddTicks(1234567);
        var rows = new[]
        {
            Row(JobStatus.Pending, created),
            Row(JobStatus.Running, created) with
            {
                Progress = 35, CurrentFrame = 278, TotalFrames = 795, Fps = 61.25, EtaSeconds = 8.5, StartedAt = created.AddSeconds(2), Attempts = 1,
            },
            Row(JobStatus.Completed, created) with { Progress = 100, StartedAt = created.AddSeconds(1), CompletedAt = created.AddMinutes(3).AddTicks(7) },
            Row(JobStatus.Failed, created) with { Error = "The clip could not be decoded: \"bad\" ünïcode", Attempts = 3, CompletedAt = created.AddHours(1) },
            Row(JobStatus.Cancelled, created) with { Progress = 5 },
        };
        foreach (var row in rows)
        {
            await store.AddAsync(row.ToJob(), CancellationToken.None);
        }

        foreach (var row in rows)
        {
            var expected = await reader.FindWithQueryAsync(row.JobId, CancellationToken.None);
            var actual = reader.FindPrepared(row.JobId);

            Assert.NotNull(expected);
            Assert.Equal(expected, actual);
            Assert.Equal(DateTimeKind.Utc, actual!.CreatedAt.Kind);
            Assert.Equal(row.Status, actual.Status);
            Assert.Equal(row.CurrentFrame, actual.CurrentFrame);
        }

        Assert.Null(reader.FindPrepared(Guid.NewGuid()));
        Assert.Null(await reader.FindWithQueryAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task FindPrepared_ManyCallersAtOnceWhileTheRowChanges_EachSeesAWholeRowAndNeverAnother()
    {
        var store = Services.GetRequiredService<JobStore>();
        var reader = Services.GetRequiredService<JobStatusReader>();
        var rows = Enumerable.Range(0, 8).Select(_ => Row(JobStatus.Pending, DateTime.UtcNow)).ToArray();
        foreach (var row in rows)
        {
            await store.AddAsync(row.ToJob(), CancellationToken.None);
        }

        var reads = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
        {
            var row = rows[i % rows.Length];
            return (row.JobId, Seen: Enumerable.Range(0, 50).Select(_ => reader.FindPrepared(row.JobId)?.JobId).ToList());
        })));

        Assert.All(reads, r => Assert.All(r.Seen, seen => Assert.Equal(r.JobId, seen)));
    }

    private static StatusRow Row(JobStatus status, DateTime created) => new(Guid.NewGuid(), status, created);

    private sealed record StatusRow(Guid JobId, JobStatus Status, DateTime CreatedAt)
    {
        public int? Progress { get; init; }

        public int? CurrentFrame { get; init; }

        public int? TotalFrames { get; init; }

        public double? Fps { get; init; }

        public double? EtaSeconds { get; init; }

        public string? Error { get; init; }

        public int Attempts { get; init; }

        public DateTime? StartedAt { get; init; }

        public DateTime? CompletedAt { get; init; }

        public VideoJob ToJob() => new()
        {
            JobId = JobId,
            PluginId = "p",
            Tool = "t",
            OriginalFileName = "a.avi",
            StoredFilePath = "a.avi",
            Status = Status,
            Progress = Progress,
            CurrentFrame = CurrentFrame,
            TotalFrames = TotalFrames,
            Fps = Fps,
            EtaSeconds = EtaSeconds,
            Error = Error,
            Attempts = Attempts,
            CreatedAt = CreatedAt,
            StartedAt = StartedAt,
            UpdatedAt = CreatedAt.AddSeconds(30),
            CompletedAt = CompletedAt,
        };
    }
}
