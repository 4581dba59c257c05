using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Support;

/// <summary>
/// A real SQLite file in a temp folder with the app's database set-up and <see cref="JobStore"/>, plus whatever
/// services a test adds, and no host: nothing runs in the background. Call <see cref="MigrateAsync"/> first.
/// <paramref name="settings"/> can put it on another database instead (<see cref="TestPostgres.Settings"/>).
/// </summary>
public sealed class MigratedSqlite : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();

    public MigratedSqlite(TimeProvider time, Action<IServiceCollection> add, IDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(add);
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings?.ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value))
            .Build();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(new DataPaths(_folder.Path));
        services.AddSingleton(time);
        services.AddVideoTrackerDatabase();
        services.AddSingleton<JobStore>();
        add(services);
        Services = services.BuildServiceProvider();
    }

    public ServiceProvider Services { get; }

    public async Task MigrateAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        _folder.Dispose();
    }
}
