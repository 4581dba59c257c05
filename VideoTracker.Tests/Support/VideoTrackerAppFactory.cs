using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VideoTracker.Tests.Support;

/// <summary>
/// The real app in memory, with its own temp data folder and SQLite file. Settings can be overridden
/// per test class; services can be swapped (for example a fake tool) with <see cref="ConfigureServices"/>.
/// </summary>
public class VideoTrackerAppFactory : WebApplicationFactory<Program>
{
    /// <summary>The <c>Security:ApiKey</c> service key (admin) that clients from <see cref="WebApplicationFactory{T}.CreateClient()"/> send.</summary>
    public const string ServiceKey = "test-service-key-7f3a9c1e5b";

    /// <summary>The first admin, created at start from <c>Auth:InitialAdmin</c>.</summary>
    public const string AdminName = "admin";
    public const string AdminPassword = "admin-password-for-tests";

    private readonly TempDirectory _data = new();
    private bool _anonymous;

    public VideoTrackerAppFactory()
    {
        Settings["Storage:DataDirectory"] = _data.Path;
        Settings["Storage:MinFreeBytes"] = "0";
        Settings["Jobs:SweepSeconds"] = "1";
        Settings["Jobs:PreparePreview"] = "false"; // most tests never look at the preview; PlayerOverlayTests turn it on
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

    /// <summary>Runs one statement on the app's SQLite file, with the job id as <c>$id</c> (stored upper-case).</summary>
    public async Task ExecuteSqlAsync(string sql, Guid jobId, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "videotracker.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", jobId.ToString().ToUpperInvariant());
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production);
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
        }
    }
}
