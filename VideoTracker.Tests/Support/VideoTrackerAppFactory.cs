using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace VideoTracker.Tests.Support;

/// <summary>
/// The real app in memory, with its own temp data folder and SQLite file. Settings can be overridden
/// per test class; services can be swapped (for example a fake tool) with <see cref="ConfigureServices"/>.
/// With <c>VT_TEST_PROVIDER=Postgres</c> (scripts/test.sh runs the API tests once that way) each factory gets a
/// fresh database on the <c>VT_TEST_POSTGRES</c> server instead, unless the test class chose a provider itself.
/// </summary>
public class VideoTrackerAppFactory : WebApplicationFactory<Program>
{
    /// <summary>The provider switch: <c>Postgres</c>, or unset for SQLite.</summary>
    public const string ProviderVariable = "VT_TEST_PROVIDER";

    /// <summary>The <c>Security:ApiKey</c> service key (admin) that clients from <see cref="WebApplicationFactory{T}.CreateClient()"/> send.</summary>
    public const string ServiceKey = "test-service-key-7f3a9c1e5b";

    /// <summary>The first admin, created at start from <c>Auth:InitialAdmin</c>.</summary>
    public const string AdminName = "admin";
    public const string AdminPassword = "admin-password-for-tests";

    private readonly TempDirectory _data = new();
    private TestPostgres? _postgres;
    private bool _anonymous;

    public VideoTrackerAppFactory()
    {
        Settings["Storage:DataDirectory"] = _data.Path;
        Settings["Storage:MinFreeBytes"] = "0";
        Settings["Jobs:SweepSeconds"] = "1";
        Settings["Jobs:PreparePreview"] = "false"; // most tests never look at the preview; PlayerOverlayTests turn it on
        Settings["Jobs:PreviewWaitSeconds"] = "120"; // a loaded test machine may take longer than the 10 s default to encode; PreviewApiTests lower it
        Settings["Detection:ModelUrl"] = string.Empty; // tests never download; they use ../shared/models when it is there
        Settings["Detection:ModelPath"] = File.Exists(TestClips.ModelPath) ? TestClips.ModelPath : string.Empty;
        Settings["Security:ApiKey"] = ServiceKey;
        Settings["Auth:InitialAdmin:Username"] = AdminName;
        Settings["Auth:InitialAdmin:Password"] = AdminPassword;
    }

    /// <summary>The SQLite file of this app.</summary>
    public string DatabaseFile => Path.Combine(_data.Path, "videotracker.db");

    /// <summary>A client that sends no key: an anonymous caller, or one that signs in with a cookie.</summary>
    public HttpClient CreateAnonymousClient(WebApplicationFactoryClientOptions? options = null)
    {
        _anonymous = true;
        try
        {
            return CreateClient(options ?? new WebApplicationFactoryClientOptions());
        }
        finally
        {
            _anonymous = false;
        }
    }

    /// <summary>Every client sends the service key, so tests about jobs act as an admin script would.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (!_anonymous && Settings.TryGetValue("Security:ApiKey", out var key) && !string.IsNullOrEmpty(key))
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
    }

    public string DataDirectory => _data.Path;

    /// <summary>A folder for the clips a test class writes, deleted with the factory.</summary>
    public TempDirectory Clips { get; } = new();

    /// <summary>Configuration overrides, applied on top of appsettings.json.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>Extra service registrations, applied after the app's own.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>True when this factory's app runs on PostgreSQL (see <see cref="ProviderVariable"/>).</summary>
    public bool OnPostgres => _postgres is not null;

    /// <summary>
    /// Runs one statement on the app's database, with the job id as <c>$id</c> (on SQLite stored upper-case) and
    /// <c>$name</c> parameters; a <see cref="DateTime"/> is written as each provider stores it.
    /// </summary>
    public async Task ExecuteSqlAsync(string sql, Guid jobId, params (string Name, object Value)[] parameters)
    {
        if (_postgres is not null)
        {
            await using var postgres = new NpgsqlConnection(_postgres.ConnectionString);
            await postgres.OpenAsync();
            await using var statement = new NpgsqlCommand(sql.Replace('$', '@'), postgres);
            statement.Parameters.AddWithValue("id", jobId);
            foreach (var (name, value) in parameters)
            {
                statement.Parameters.AddWithValue(name.TrimStart('$'), value);
            }

            await statement.ExecuteNonQueryAsync();
            return;
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "videotracker.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", jobId.ToString().ToUpperInvariant());
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value is DateTime at ? at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture) : value);
        }

        await command.ExecuteNonQueryAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production);
        if (string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "Postgres", StringComparison.OrdinalIgnoreCase)
            && !Settings.ContainsKey("Database:Provider"))
        {
            _postgres ??= TestPostgres.Create();
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Postgres", _postgres.ConnectionString);
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => ConfigureServices?.Invoke(services));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
            Clips.Dispose();
            _postgres?.Dispose();
        }
    }
}
