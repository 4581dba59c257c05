using System.Diagnostics;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Health;

/// <summary>
/// The app on real PostgreSQL through a <see cref="FreezableTcpProxy"/>: started while the server answers, then the
/// server freezes (connections accepted, nothing answered), as a SIGSTOPped postmaster does.
/// </summary>
public sealed class DatabaseAwayFactory : TestPluginAppFactory
{
    private readonly ProxiedPostgres? _database;

    /// <param name="connectionSettings">Added to the connection string, such as Npgsql's <c>Command Timeout=3</c>.</param>
    public DatabaseAwayFactory(string connectionSettings = "")
    {
        _database = ProxiedPostgres.For(Settings, connectionSettings);
    }

    public FreezableTcpProxy? Proxy => _database?.Proxy;

    public override ValueTask DisposeAsync() => ProxiedPostgres.DisposeWithAppAsync(_database, () => base.DisposeAsync());
}

[Collection(SerialCollection.Name)]
public sealed class DatabaseAwayTests
{
    [PostgresFact]
    public async Task HealthReady_WhenTheDatabaseStopsAnswering_Is503NamingTheTimeoutWithinSeconds()
    {
        await using var factory = new DatabaseAwayFactory();
        var client = await StartThenFreezeAsync(factory);

        var clock = Stopwatch.StartNew();
        using var ready = await client.GetAsync("/health/ready");
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"answered after {clock.Elapsed.TotalSeconds:0.0} s");
        var database = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal("unhealthy", database.GetProperty("status").GetString());
        Assert.Equal("PostgreSQL did not answer within 3 s (Database:HealthTimeoutSeconds).", database.GetProperty("description").GetString());
    }

    [PostgresFact]
    public async Task Api_WhenTheDatabaseStopsAnswering_Is503WithRetryAfterAndSaysTheDatabaseIsAway()
    {
        // Npgsql's own limits (15 s to connect, 30 s a command) are what an operator shortens in the connection string.
        await using var factory = new DatabaseAwayFactory("Timeout=3;Command Timeout=3");
        var client = await StartThenFreezeAsync(factory);

        using var response = await client.GetAsync("/v1/jobs");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(DatabaseUnavailable.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(DatabaseUnavailable.RequestDetail, problem.Detail());
    }

    /// <summary>A client of the app once it answered on a working database; then the database freezes.</summary>
    private static async Task<HttpClient> StartThenFreezeAsync(DatabaseAwayFactory factory)
    {
        var client = factory.CreateClient();
        using (var before = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var jobs = await client.GetAsync("/v1/jobs"))
        {
            Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        }

        factory.Proxy!.Freeze();
        return client;
    }
}
