using System.Diagnostics;

namespace VideoTracker.Tests.Health;

/// <summary>
/// The app on real PostgreSQL through a <see cref="FreezableTcpProxy"/>: started while the server answers, then the
/// server freezes (connections accepted, nothing answered), as a SIGSTOPped postmaster does.
/// </summary>
public sealed class DatabaseAwayFactory : TestPluginAppFactory
{
    private readonly TestPostgres? _database;

    public DatabaseAwayFactory()
    {
        var server = Environment.GetEnvironmentVariable(TestPostgres.Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            return; // the facts skip
        }

        _database = TestPostgres.Create();
        Proxy = FreezableTcpProxy.ForPostgres(_database.ConnectionString, out var throughProxy);
        Settings["Database:Provider"] = "Postgres";
        Settings["ConnectionStrings:Postgres"] = throughProxy;
    }

    public FreezableTcpProxy? Proxy { get; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Proxy?.DisposeAsync().AsTask().GetAwaiter().GetResult(); // the app's connections fail at once, so it stops at once
        }

        base.Dispose(disposing);
        if (disposing)
        {
            _database?.Dispose();
        }
    }
}

[Collection(SerialCollection.Name)]
public sealed class DatabaseAwayTests(DatabaseAwayFactory factory) : IClassFixture<DatabaseAwayFactory>
{
    [PostgresFact]
    public async Task HealthReady_WhenTheDatabaseStopsAnswering_Is503NamingTheTimeoutWithinSeconds()
    {
        var client = factory.CreateClient();
        using (var before = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        factory.Proxy!.Freeze();
        var clock = Stopwatch.StartNew();
        using var ready = await client.GetAsync("/health/ready");
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"answered after {clock.Elapsed.TotalSeconds:0.0} s");
        var database = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal("unhealthy", database.GetProperty("status").GetString());
        Assert.Equal("PostgreSQL did not answer within 3 s (Database:HealthTimeoutSeconds).", database.GetProperty("description").GetString());
    }
}
