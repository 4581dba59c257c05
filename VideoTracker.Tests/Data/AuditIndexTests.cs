using Microsoft.EntityFrameworkCore;
using VideoTracker.Core.Accounts;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Data;

/// <summary>The audit list's user and action filters are served by indexes, newest first, on both providers' models; so is the retention sweep's batch.</summary>
public sealed class AuditIndexTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void Model_HasAnIndexForEachAuditFilter_ThenTheIdForNewestFirst(string provider)
    {
        using VideoTrackerDbContext db = provider == "sqlite"
            ? new SqliteDesignTimeDbContextFactory().CreateDbContext([])
            : new PostgresDesignTimeDbContextFactory().CreateDbContext([]);

        var indexes = db.Model.FindEntityType(typeof(AuditEntry))!.GetIndexes()
            .Select(i => string.Join(",", i.Properties.Select(p => p.Name)));

        Assert.Contains("Username,Id", indexes);
        Assert.Contains("Action,Id", indexes);
    }

    [Theory]
    [InlineData("bo", null, "ix_audit_entries_username_id")]
    [InlineData(null, AuditActions.SignInFailed, "ix_audit_entries_action_id")]
    public async Task AuditPage_OnAMigratedSqliteFile_SearchesTheFiltersIndex_WithoutSortingAfterwards(string? user, string? action, string index)
    {
        await using var sqlite = new MigratedSqlite(TimeProvider.System, _ => { });
        await sqlite.MigrateAsync();
        await using var db = await sqlite.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();

        var page = AuditLog.Page(AuditLog.Matching(db.AuditEntries, new AuditFilter(user, action)), limit: 100, offset: 0);
        var plan = await QueryPlans.SqliteAsync(page);

        Assert.Contains(plan, step => step.Contains($"USING INDEX {index} (", StringComparison.Ordinal)
            || step.Contains($"USING COVERING INDEX {index} (", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    /// <summary>A batch of the retention sweep reads the oldest entries from the index on their time, and sorts nothing.</summary>
    [Fact]
    public async Task RetentionBatch_OnAMigratedSqliteFile_SearchesTheTimeIndex_WithoutSorting()
    {
        await using var sqlite = new MigratedSqlite(TimeProvider.System, _ => { });
        await sqlite.MigrateAsync();
        await using var db = await sqlite.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();

        var plan = await QueryPlans.SqliteAsync(AuditLog.Before(db.AuditEntries, DateTime.UtcNow, RetentionService.AuditBatch));

        Assert.Equal(["SEARCH a USING INDEX ix_audit_entries_at (at<?)"], plan);
    }
}
