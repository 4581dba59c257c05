namespace VideoTracker.Tests.Data;

/// <summary>
/// The queries of the job queue and of the retention sweep on a database with many ended jobs: each reads its own index,
/// so its cost follows what it is asked for, not the history beside it.
/// </summary>
public sealed class JobIndexTests
{
    private const int Ended = 5_000;
    private const int Queued = 1_000;
    private const int PageSize = 20;
    private const int SweepBatch = 200;

    /// <summary>A cutoff after every seeded job: every ended one is due, and the pending ones are older than it too.</summary>
    private static readonly DateTime AfterEveryJob = SeededJobs.Start.AddYears(1);

    [PostgresFact]
    public async Task QueuePositions_OfTheNewestPage_OnPostgres_CountTheQueueOnceOnItsOwnIndex()
    {
        await using var seeded = await SeededJobs.CreateAsync(postgres: true, Ended, Queued);
        var page = NewestPage(seeded);
        await using var db = await seeded.ContextAsync();

        var plan = await QueryPlans.PostgresAsync(JobStore.QueuePositions(db, page), analyze: true);

        Assert.Contains("ix_jobs_pending_created_at", QueryPlans.Indexes(plan));
        Assert.All(QueryPlans.Indexes(plan), index => Assert.Contains(index, new[] { "PK_jobs", "ix_jobs_pending_created_at" }));
        Assert.InRange(QueryPlans.RowsRead(plan, "jobs"), 1, Queued + (PageSize * PageSize));
    }

    /// <summary>Each job's own count starts at the page's oldest job: it searches a range bounded on both sides.</summary>
    [Fact]
    public async Task QueuePositions_OnSqlite_CountEachJobFromThePagesOldestOnly()
    {
        await using var seeded = await SeededJobs.CreateAsync(postgres: false, Ended, Queued);
        await using var db = await seeded.ContextAsync();

        var plan = await QueryPlans.SqliteAsync(JobStore.QueuePositions(db, NewestPage(seeded)));

        var perJob = plan.SkipWhile(step => !step.StartsWith("CORRELATED SCALAR SUBQUERY", StringComparison.Ordinal)).ElementAtOrDefault(1);
        Assert.Matches(@"^SEARCH .* USING (COVERING )?INDEX ix_jobs_\w+ \((status=\? AND )?created_at>\? AND created_at<\?\)$", perJob);
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal));
    }

    [PostgresFact]
    public Task QueuePositions_OnPostgres_AreOneMoreThanThePendingJobsCreatedBefore() => PositionsAreOneMoreThanThoseAheadAsync(postgres: true);

    [Fact]
    public Task QueuePositions_OnSqlite_AreOneMoreThanThePendingJobsCreatedBefore() => PositionsAreOneMoreThanThoseAheadAsync(postgres: false);

    /// <summary>
    /// The claim (run: it takes the oldest pending job) reads that job's entry of the index of pending jobs and its row,
    /// never walking the ended jobs first.
    /// </summary>
    [PostgresFact]
    public async Task ClaimNext_OnPostgres_TakesTheOldestFromTheIndexOfPendingJobs()
    {
        await using var seeded = await SeededJobs.CreateAsync(postgres: true, Ended, Queued);
        await using var db = await seeded.ContextAsync();

        var claim = JobStore.ClaimNext(db, seeded.Store.UtcNow, "owner", "worker", TimeSpan.FromMinutes(1), [new ToolKey(SeededJobs.PluginId, SeededJobs.ToolId)]);
        var plan = await QueryPlans.PostgresAsync(claim, analyze: true);

        Assert.Equal(["ix_jobs_pending_created_at", "PK_jobs"], QueryPlans.Indexes(plan));
        Assert.Equal(2, QueryPlans.RowsRead(plan, "jobs"));
        Assert.Equal(JobStatus.Running, (await seeded.Store.FindAsync(seeded.Pending[0].JobId, CancellationToken.None))!.Status);
    }

    /// <summary>A batch of the retention sweep reads its own entries of the index of ended jobs, and sorts nothing.</summary>
    [PostgresFact]
    public async Task TerminalBefore_OnPostgres_ReadsOnlyTheBatchFromTheIndexOfEndedJobs()
    {
        await using var seeded = await SeededJobs.CreateAsync(postgres: true, Ended, Queued);
        await using var db = await seeded.ContextAsync();

        var plan = await QueryPlans.PostgresAsync(JobStore.TerminalBefore(db, AfterEveryJob, SweepBatch), analyze: true);

        Assert.Equal(["ix_jobs_ended_updated_at"], QueryPlans.Indexes(plan));
        Assert.Equal(SweepBatch, QueryPlans.RowsRead(plan, "jobs"));
        Assert.DoesNotContain(plan, node => node.GetProperty("Node Type").GetString() == "Sort");
    }

    [Fact]
    public async Task TerminalBefore_OnSqlite_SearchesTheIndexOfEndedJobsWithoutSorting()
    {
        await using var seeded = await SeededJobs.CreateAsync(postgres: false, Ended, Queued);
        await using var db = await seeded.ContextAsync();

        var plan = await QueryPlans.SqliteAsync(JobStore.TerminalBefore(db, AfterEveryJob, SweepBatch));

        Assert.Equal(["SEARCH j USING INDEX ix_jobs_ended_updated_at (updated_at<?)"], plan);
    }

    [PostgresFact]
    public Task TerminalBefore_OnPostgres_IsTheEndedJobsBeforeTheCutoffLongestEndedFirst() => TerminalBeforeIsTheLongestEndedAsync(postgres: true);

    [Fact]
    public Task TerminalBefore_OnSqlite_IsTheEndedJobsBeforeTheCutoffLongestEndedFirst() => TerminalBeforeIsTheLongestEndedAsync(postgres: false);

    /// <summary>A batch is the first of the jobs that ended before the cutoff, in the order they ended; never a pending one.</summary>
    private static async Task TerminalBeforeIsTheLongestEndedAsync(bool postgres)
    {
        await using var seeded = await SeededJobs.CreateAsync(postgres, ended: 30, pending: 10);

        var batch = await seeded.Store.TerminalBeforeAsync(seeded.Jobs[20].UpdatedAt, 15, CancellationToken.None);
        var due = await seeded.Store.TerminalBeforeAsync(seeded.Jobs[20].UpdatedAt, 100, CancellationToken.None);
        var all = await seeded.Store.TerminalBeforeAsync(AfterEveryJob, 100, CancellationToken.None);

        Assert.Equal(seeded.Jobs.Take(15).Select(j => j.JobId), batch);
        Assert.Equal(seeded.Jobs.Take(20).Select(j => j.JobId), due);
        Assert.Equal(seeded.Jobs.Where(j => j.Status.IsTerminal()).Select(j => j.JobId), all);
    }

    /// <summary>
    /// The newest page, older pending jobs that share their creation time with another (both get the same place), and an
    /// ended job (placed as if it were pending): each place is one more than the pending jobs created before it.
    /// </summary>
    private static async Task PositionsAreOneMoreThanThoseAheadAsync(bool postgres)
    {
        await using var seeded = await SeededJobs.CreateAsync(postgres, ended: 30, pending: 40);
        var pending = seeded.Pending;
        var asked = pending.TakeLast(PageSize).Concat([pending[0], pending[7], pending[8], pending[9], seeded.Jobs[10]]).ToDictionary(j => j.JobId, j => j.CreatedAt);

        var positions = await seeded.Store.QueuePositionsAsync(asked, CancellationToken.None);

        var expected = asked.ToDictionary(job => job.Key, job => 1 + pending.Count(p => p.CreatedAt < job.Value));
        Assert.Equal(expected.OrderBy(p => p.Key), positions.OrderBy(p => p.Key));
        Assert.Equal(1, positions[pending[0].JobId]);
        Assert.Equal(positions[pending[8].JobId], positions[pending[9].JobId]);
    }

    /// <summary>The first page of the jobs list: the newest jobs, here all pending.</summary>
    private static Dictionary<Guid, DateTime> NewestPage(SeededJobs seeded) => seeded.Pending.TakeLast(PageSize).ToDictionary(j => j.JobId, j => j.CreatedAt);
}
