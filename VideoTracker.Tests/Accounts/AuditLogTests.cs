using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using VideoTracker.Core.Accounts;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Accounts;

/// <summary><see cref="AuditLog"/> on a migrated SQLite file, with every command it sends logged.</summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ListLoggerProvider _commands = new();
    private readonly MigratedSqlite _database;

    public AuditLogTests()
    {
        _database = new MigratedSqlite(new FakeTimeProvider(Now), services =>
        {
            services.AddSingleton<ILoggerFactory>(LoggerFactory.Create(logging => logging.AddProvider(_commands)));
            services.AddSingleton<AuditLog>();
        });
    }

    private AuditLog Audit => _database.Services.GetRequiredService<AuditLog>();

    public async Task InitializeAsync()
    {
        await _database.MigrateAsync();
        for (var i = 0; i < 5; i++)
        {
            await Audit.RecordAsync(AuditActions.SignIn, "ann", "127.0.0.1");
        }
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    /// <summary>A page that is not full ends the list, so it tells the count; a full page, or one past the end, cannot.</summary>
    [Theory]
    [InlineData(50, 0, 5, false)]
    [InlineData(2, 4, 1, false)]
    [InlineData(2, 0, 2, true)]
    [InlineData(2, 10, 0, true)]
    public async Task ListAsync_CountsTheEntriesOnlyWhenThePageCannotTell(int limit, int offset, int shown, bool counted)
    {
        var counts = CountQueries();

        var (entries, count) = await Audit.ListAsync(AuditFilter.None, limit, offset, CancellationToken.None);

        Assert.Equal(shown, entries.Count);
        Assert.Equal(5, count);
        Assert.Equal(counted ? 1 : 0, CountQueries() - counts);
    }

    [Fact]
    public async Task DeleteBeforeAsync_DeletesAtMostTheBatch_OldestFirst_AndNothingFromTheCutoffOn()
    {
        await using (var db = await _database.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync())
        {
            db.AuditEntries.AddRange(Enumerable.Range(1, 3).Select(days => new AuditEntry { At = Now.UtcDateTime.AddDays(-days), Action = AuditActions.SignOut }));
            await db.SaveChangesAsync();
        }

        var first = await Audit.DeleteBeforeAsync(Now.UtcDateTime.AddHours(-1), 2, CancellationToken.None);
        var (left, _) = await Audit.ListAsync(AuditFilter.None, 50, 0, CancellationToken.None);
        var rest = await Audit.DeleteBeforeAsync(Now.UtcDateTime.AddHours(-1), 2, CancellationToken.None);

        Assert.Equal(2, first);
        Assert.Equal([Now.UtcDateTime.AddDays(-1)], left.Where(e => e.Action == AuditActions.SignOut).Select(e => e.At));
        Assert.Equal(1, rest);
        Assert.Equal(5, (await Audit.ListAsync(AuditFilter.None, 50, 0, CancellationToken.None)).Count);
    }

    private int CountQueries() => _commands.Count("SELECT COUNT(*)");
}
