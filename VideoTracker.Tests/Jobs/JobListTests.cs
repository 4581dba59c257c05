using Microsoft.Extensions.Logging;

namespace VideoTracker.Tests.Jobs;

/// <summary><see cref="JobStore.ListAsync"/> on a migrated SQLite file, with every command it sends logged.</summary>
public sealed class JobListTests : IAsyncLifetime
{
    private readonly ListLoggerProvider _commands = new();
    private readonly MigratedSqlite _database;

    public JobListTests() => _database = new MigratedSqlite(TimeProvider.System, services =>
        services.AddSingleton<ILoggerFactory>(LoggerFactory.Create(logging => logging.AddProvider(_commands))));

    private JobStore Store => _database.Services.GetRequiredService<JobStore>();

    public async Task InitializeAsync()
    {
        await _database.MigrateAsync();
        foreach (var name in new[] { "match-1.avi", "training.avi", "MATCH-2.avi", "match-3.avi" })
        {
            var id = Guid.NewGuid();
            await Store.AddAsync(new VideoJob { JobId = id, PluginId = "p", Tool = "t", OriginalFileName = name, StoredFilePath = $"jobs/{id:N}/input.avi" }, CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    /// <summary>
    /// A search reads every row, so when the page ends the list (not full, not past the end) and so tells the count, it
    /// runs once; a full page, or one past the end, is counted too.
    /// </summary>
    [Theory]
    [InlineData(50, 0, 3, false)]
    [InlineData(2, 2, 1, false)]
    [InlineData(2, 0, 2, true)]
    [InlineData(2, 5, 0, true)]
    public async Task ListAsync_Search_CountsTheMatchesOnlyWhenThePageCannotTell(int limit, int offset, int shown, bool counted)
    {
        var counts = _commands.Count("SELECT COUNT(*)");

        var slice = await Store.ListAsync(new JobListFilter(Search: "Match"), limit, offset, CancellationToken.None);

        Assert.Equal(shown, slice.Jobs.Count);
        Assert.All(slice.Jobs, job => Assert.Contains("match", job.OriginalFileName, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(3, slice.Count);
        Assert.Equal(counted ? 1 : 0, _commands.Count("SELECT COUNT(*)") - counts);
    }
}
