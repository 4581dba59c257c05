using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Data;

/// <summary>Start-up: bad database settings are refused with one clear line; start-up tasks run after migrations, one node at a time.</summary>
[Collection(SerialCollection.Name)]
public sealed class StartupTests : IDisposable
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Start_UnknownProvider_ExitsNonZeroNamingTheSetting()
    {
        var (code, output) = await AppProcess.RunUntilExitAsync(_temp.Combine("data"), new Dictionary<string, string> { ["Database__Provider"] = "Oracle" }, ExitWait);

        Assert.Equal(1, code);
        Assert.Contains("VideoTracker cannot start: Database:Provider 'Oracle' is not supported. Use 'Sqlite'", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Theory]
    [InlineData("Jobs__Workers", "abc", "The setting Jobs:Workers is 'abc', which is not a whole number: correct it in appsettings.json or in the environment (Jobs__Workers).")]
    [InlineData("Auth__Enabled", "maybe", "The setting Auth:Enabled is 'maybe', which is not true or false: correct it in appsettings.json or in the environment (Auth__Enabled).")]
    public async Task Start_SettingOfTheWrongType_ExitsWithOneSentenceNamingTheSetting(string variable, string value, string sentence)
    {
        var (code, output) = await AppProcess.RunUntilExitAsync(_temp.Combine("data"), new Dictionary<string, string> { [variable] = value }, ExitWait);

        Assert.Equal(1, code);
        Assert.Contains($"VideoTracker cannot start: {sentence}", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task Start_PathBaseThatIsNotAPath_ExitsWithOneSentenceNamingTheSetting()
    {
        var (code, output) = await AppProcess.RunUntilExitAsync(_temp.Combine("data"), new Dictionary<string, string> { ["Server__PathBase"] = "videotracker/" }, ExitWait);

        Assert.Equal(1, code);
        Assert.Contains("VideoTracker cannot start: Server:PathBase is not a path such as /videotracker", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [SmallDiskFact]
    public async Task Start_ReadOnlyDataFolder_ExitsWithOneSentenceNamingTheFolder()
    {
        using var disk = SmallDisk.Mount(_temp.Combine("read-only"), 1, readOnly: true);

        var (code, output) = await AppProcess.RunUntilExitAsync(disk.Path, null, ExitWait);

        Assert.Equal(1, code);
        Assert.Contains($"VideoTracker cannot start: The data folder {disk.Path} (Storage:DataDirectory) cannot be written (Read-only file system)", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task Start_AddressInUse_ExitsWithOneSentenceNamingTheAddress()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var (code, output) = await AppProcess.RunUntilExitAsync(_temp.Combine("data"), new Dictionary<string, string> { ["ASPNETCORE_URLS"] = address }, ExitWait);

        Assert.Equal(1, code);
        Assert.Contains($"VideoTracker cannot start: The address {address} is already in use by another process", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task Start_PostgresWithoutConnectionString_ExitsNonZeroAskingForIt()
    {
        var (code, output) = await AppProcess.RunUntilExitAsync(_temp.Combine("data"), new Dictionary<string, string> { ["Database__Provider"] = "Postgres" }, ExitWait);

        Assert.Equal(1, code);
        Assert.Contains("Database:Provider is 'Postgres' but ConnectionStrings:Postgres is empty", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresUnreachable_ExitsNonZeroAfterAShortRetry()
    {
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Password=secret-word;Timeout=2",
            ["Database__ConnectRetrySeconds"] = "2",
        };

        var (code, output) = await AppProcess.RunUntilExitAsync(_temp.Combine("data"), settings, ExitWait);

        Assert.Equal(1, code);
        Assert.Contains("VideoTracker cannot start: Cannot reach the PostgreSQL database 127.0.0.1:1/nowhere", output, StringComparison.Ordinal);
        Assert.Contains("Database:ConnectRetrySeconds", output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-word", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartupTasks_OnSqlite_RunOnceInRegistrationOrderAfterMigrations()
    {
        var log = new ConcurrentQueue<string>();
        using var factory = new VideoTrackerAppFactory();
        factory.ConfigureServices = services =>
        {
            services.AddSingleton<IStartupTask>(new RecordingTask("first", log, TimeSpan.Zero));
            services.AddScoped<IStartupTask>(sp => new RecordingTask("second", log, TimeSpan.Zero, sp.GetRequiredService<VideoTrackerDbContext>()));
        };

        using var client = factory.CreateClient();
        using var live = await client.GetAsync("/health/live");

        Assert.Equal(["first:start", "first:end", "second:start", "second:jobs=0", "second:end"], log);
    }

    [PostgresFact]
    public async Task StartupTasks_TwoNodesStartingTogetherOnPostgres_RunOneNodeAfterTheOther()
    {
        await using var database = await TestPostgres.CreateAsync();
        var log = new ConcurrentQueue<string>();
        VideoTrackerAppFactory Node(string name)
        {
            var factory = new VideoTrackerAppFactory();
            foreach (var (key, value) in database.Settings)
            {
                factory.Settings[key.Replace("__", ":", StringComparison.Ordinal)] = value;
            }

            factory.ConfigureServices = services => services.AddScoped<IStartupTask>(sp =>
                new RecordingTask(name, log, TimeSpan.FromMilliseconds(400), sp.GetRequiredService<VideoTrackerDbContext>()));
            return factory;
        }

        using var a = Node("a");
        using var b = Node("b");
        await Task.WhenAll(Task.Run(() => a.CreateClient().Dispose()), Task.Run(() => b.CreateClient().Dispose()));

        var entries = log.ToList();
        Assert.Equal(6, entries.Count);
        Assert.Equal(entries[0].Split(':')[0], entries[2].Split(':')[0]);
        Assert.EndsWith(":end", entries[2], StringComparison.Ordinal);
        Assert.All(entries.Where(e => e.Contains("jobs=", StringComparison.Ordinal)), e => Assert.EndsWith("jobs=0", e, StringComparison.Ordinal));
        await using var db = await a.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();
        var migrations = Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetMigrations(db.Database).LongCount();
        Assert.Equal(migrations, await database.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\""));

        // Both nodes were told to create the first admin (Auth:InitialAdmin); under the lock only one did.
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Stop_AServiceThatFailsToStop_IsLoggedByTheHost_OnceTheAppHasStarted()
    {
        var log = new ListLoggerProvider();
        var factory = new VideoTrackerAppFactory
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<ILoggerProvider>(log);
                services.AddHostedService<FailsToStop>();
            },
        };
        using (var client = factory.CreateClient())
        {
            using var live = await client.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        await Record.ExceptionAsync(async () => await factory.DisposeAsync());

        Assert.True(
            log.Lines.Any(l => l.EndsWith("Microsoft.Extensions.Hosting.Internal.Host: Hosting shutdown exception", StringComparison.Ordinal)),
            string.Join('\n', log.Lines));
    }

    public void Dispose() => _temp.Dispose();

    private sealed class FailsToStop : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("cannot stop");
    }

    /// <summary>What an operator sees is the sentence: no runtime abort, no host log of the failure, no stack frames.</summary>
    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting failed to start", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private sealed class RecordingTask(string name, ConcurrentQueue<string> log, TimeSpan hold, VideoTrackerDbContext? db = null) : IStartupTask
    {
        public string Name => name;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            log.Enqueue($"{name}:start");
            if (db is not null)
            {
                log.Enqueue($"{name}:jobs={await db.Jobs.CountAsync(cancellationToken)}");
            }

            await Task.Delay(hold, cancellationToken);
            log.Enqueue($"{name}:end");
        }
    }
}
