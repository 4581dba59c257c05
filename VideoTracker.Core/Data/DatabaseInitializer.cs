using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Data;

/// <summary>Creates the data folder, applies migrations and turns on WAL before anything else starts.</summary>
public sealed class DatabaseInitializer(IDbContextFactory<VideoTrackerDbContext> contexts, DataPaths paths) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        paths.EnsureCreated();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);

        // WAL lets status readers run while a worker writes; it is a property of the file and sticks.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
