namespace VideoTracker.Tests.Support;

/// <summary>
/// A fresh database on the test server (<c>VT_TEST_POSTGRES</c>) that an app reaches through a
/// <see cref="FreezableTcpProxy"/>, so a test can make the database stop answering. Null without a server (the facts skip).
/// </summary>
public sealed class ProxiedPostgres : IAsyncDisposable
{
    private readonly TestPostgres _database;

    private ProxiedPostgres(TestPostgres database, FreezableTcpProxy proxy)
    {
        _database = database;
        Proxy = proxy;
    }

    public FreezableTcpProxy Proxy { get; }

    /// <summary>Points <paramref name="settings"/> (an app factory's) at a fresh database through a proxy.</summary>
    /// <param name="connectionSettings">Added to the connection string, such as Npgsql's <c>Command Timeout=3</c>.</param>
    public static ProxiedPostgres? For(Dictionary<string, string?> settings, string connectionSettings)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestPostgres.Variable)))
        {
            return null;
        }

        var database = TestPostgres.Create();
        var proxy = FreezableTcpProxy.ForPostgres(database.ConnectionString, out var throughProxy);
        settings["Database:Provider"] = "Postgres";
        settings["ConnectionStrings:Postgres"] = $"{throughProxy};{connectionSettings}";
        return new ProxiedPostgres(database, proxy);
    }

    /// <summary>
    /// Stops the proxy first, so the app's connections fail at once and <paramref name="disposeApp"/> stops it at once;
    /// then drops the database.
    /// </summary>
    public static async ValueTask DisposeWithAppAsync(ProxiedPostgres? database, Func<ValueTask> disposeApp)
    {
        ArgumentNullException.ThrowIfNull(disposeApp);
        if (database is not null)
        {
            await database.Proxy.DisposeAsync();
        }

        await disposeApp();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await _database.DisposeAsync();
    }
}
