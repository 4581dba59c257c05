using System.Text;
using VideoTracker.App.Accounts;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Accounts;

/// <summary>A sign-in cookie outlives a restart of the app from another folder, as after installing a new version there.</summary>
[Collection(SerialCollection.Name)]
public sealed class CookieKeysTests : IDisposable
{
    private const string Password = "admin-password-for-keys";
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task SignInCookie_AfterARestartInAnotherFolder_StillSignsIn()
    {
        var data = _temp.Combine("data");
        string cookie;
        using (var before = await AppProcess.StartAsync(data, new Dictionary<string, string> { ["Auth__InitialAdmin__Username"] = "admin", ["Auth__InitialAdmin__Password"] = Password }))
        {
            using var client = new HttpClient { BaseAddress = before.BaseAddress };
            using var login = await client.PostAsync("/v1/auth/login", new StringContent($$"""{"username":"admin","password":"{{Password}}"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vt_auth=", StringComparison.Ordinal)).Split(';')[0];
        }

        var installedElsewhere = Directory.CreateDirectory(_temp.Combine("new-version")).FullName;
        using var after = await AppProcess.StartAsync(data, new Dictionary<string, string> { ["ASPNETCORE_CONTENTROOT"] = installedElsewhere });
        using var again = new HttpClient { BaseAddress = after.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/auth/me");
        request.Headers.Add("Cookie", cookie);
        using var me = await again.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("admin", JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement.GetProperty("username").GetString());
    }

    // Nodes that start together on one data folder (web and workers, at an upgrade) each made a key of their own when the
    // host started its services, after the start-up lock: a node that had loaded only its own key refused the cookies
    // of a node that used another, once its first two minutes had passed. Made as start-up work, the key is there
    // when the last start-up task runs, and on PostgreSQL the next node finds it.
    [Fact]
    public async Task FirstKey_IsMadeAsStartUpWork_BeforeTheLastStartUpTaskRuns()
    {
        using var factory = new VideoTrackerAppFactory();
        var probe = new KeysProbe(Path.Combine(factory.DataDirectory, CookieKeys.FolderName));
        factory.ConfigureServices = services => services.AddSingleton<IStartupTask>(probe);

        using var client = factory.CreateClient();
        using var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(1, probe.KeysFound);
        Assert.Single(Directory.GetFiles(Path.Combine(factory.DataDirectory, CookieKeys.FolderName), "key-*.xml"));
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>A start-up task, registered after the app's own, that counts the keys it finds.</summary>
    private sealed class KeysProbe(string folder) : IStartupTask
    {
        public int? KeysFound { get; private set; }

        public string Name => "keys probe";

        public Task RunAsync(CancellationToken cancellationToken)
        {
            KeysFound = Directory.Exists(folder) ? Directory.GetFiles(folder, "key-*.xml").Length : 0;
            return Task.CompletedTask;
        }
    }
}
