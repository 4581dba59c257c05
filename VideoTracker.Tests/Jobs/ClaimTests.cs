namespace VideoTracker.Tests.Jobs;

/// <summary>The PostgreSQL claim (<see cref="JobStore.ClaimNextAsync"/>) on a real throwaway database.</summary>
public sealed class ClaimTests : IAsyncLifetime
{
    private TestPostgres? _postgres;
    private MigratedSqlite? _database;

    private JobStore Store => _database!.Services.GetRequiredService<JobStore>();

    public async Task InitializeAsync()
    {
        if (TestPostgres.SkipReason(Environment.GetEnvironmentVariable(TestPostgres.Variable), Environment.GetEnvironmentVariable("CI")) is not null)
        {
            return;
        }

        _postgres = await TestPostgres.CreateAsync();
        _database = new MigratedSqlite(TimeProvider.System, _ => { }, _postgres.Settings);
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    /// <summary>
    /// Plugin "a/b" with tool "c" and plugin "a" with tool "b/c" read the same as one <c>plugin/tool</c> string: the claim
    /// compares the two ids, so a node that runs only the second never takes a job for the first, older as it is.
    /// </summary>
    [PostgresFact]
    public async Task ClaimNext_ToolsWhoseJoinedNamesAreEqual_TakesOnlyAJobOfTheToolItRuns()
    {
        var other = await AddPendingAsync("a/b", "c", Store.UtcNow.AddMinutes(-1));
        var mine = await AddPendingAsync("a", "b/c", Store.UtcNow);

        var claimed = await Store.ClaimNextAsync("owner", "worker", TimeSpan.FromMinutes(1), [new ToolKey("a", "b/c")], CancellationToken.None);
        var again = await Store.ClaimNextAsync("owner", "worker", TimeSpan.FromMinutes(1), [new ToolKey("a", "b/c")], CancellationToken.None);

        Assert.Equal(mine, claimed);
        Assert.Null(again);
        Assert.Equal(JobStatus.Pending, (await Store.FindAsync(other, CancellationToken.None))!.Status);
    }

    private async Task<Guid> AddPendingAsync(string pluginId, string tool, DateTime createdAt)
    {
        var id = Guid.NewGuid();
        await Store.AddAsync(new VideoJob
        {
            JobId = id,
            PluginId = pluginId,
            Tool = tool,
            OriginalFileName = "clip.avi",
            StoredFilePath = $"jobs/{id:N}/input.avi",
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
        }, CancellationToken.None);
        return id;
    }
}
