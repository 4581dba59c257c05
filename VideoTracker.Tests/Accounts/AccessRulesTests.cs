using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using VideoTracker.App.Accounts;
using VideoTracker.Tests.EndToEnd;

namespace VideoTracker.Tests.Accounts;

/// <summary>Owners, legacy jobs, own-jobs lists and what the database file holds, on the role matrix's apps.</summary>
public abstract partial class AccessRulesTests(AccountsTestApp app)
{
    protected abstract bool OwnOnly { get; }

    [Fact]
    public async Task LegacyJobWithoutOwner_MemberCannotChangeIt_AdminCan()
    {
        var legacy = await app.SubmitAndFinishAsync(Caller.ServiceKey);   // no owner, like a job from before accounts
        using var member = app.ClientFor(Caller.MemberOwner);
        using var admin = app.ClientFor(Caller.Admin);

        using var memberCancel = await member.PostAsync($"/v1/jobs/{legacy}/cancel", null);
        using var memberDelete = await member.DeleteAsync($"/v1/jobs/{legacy}");
        using var adminDelete = await admin.DeleteAsync($"/v1/jobs/{legacy}");

        var hidden = OwnOnly ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden;
        Assert.Equal(hidden, memberCancel.StatusCode);
        Assert.Contains(OwnOnly ? "not found" : "it came from the service key, or from before accounts existed", await memberCancel.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(hidden, memberDelete.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, adminDelete.StatusCode);
    }

    [Fact]
    public async Task CookieSession_PassingItsCheck_IsNotReissued_AndARoleChangeEndsIt()
    {
        var name = $"s{Guid.NewGuid():N}"[..12];
        using var admin = app.ClientFor(Caller.Admin);
        using (var created = await admin.PostAsJsonAsync("/v1/users", new { username = name, password = AccountsTestApp.Password, role = "member" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var session = app.CreateClientWith(("Cookie", await app.SignInAsync(name, AccountsTestApp.Password)));
        using var before = await session.GetAsync("/v1/auth/me");
        using var changed = await admin.PatchAsJsonAsync($"/v1/users/{name}", new { role = "viewer" });
        using var after = await session.GetAsync("/v1/auth/me");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        // A cookie re-issued on every answer would undo a sign-out whenever an answer is still in flight.
        Assert.False(before.Headers.Contains("Set-Cookie"), "a plain request re-issued the session cookie");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task JobList_ShowsOwners_AndInOwnModeOnlyTheCallersJobs()
    {
        using var member = app.ClientFor(Caller.MemberOwner);
        using var other = app.ClientFor(Caller.OtherMember);
        using var admin = app.ClientFor(Caller.Admin);

        var mine = Ids(await member.GetJsonAsync("/v1/jobs?limit=500"));
        var others = Ids(await other.GetJsonAsync("/v1/jobs?limit=500"));
        var all = await admin.GetJsonAsync("/v1/jobs?limit=500");
        var detail = await member.GetJsonAsync($"/v1/jobs/{app.MemberJob}");

        Assert.Equal(AccountsTestApp.MemberName, detail.GetProperty("owner").GetString());
        Assert.Contains(all.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("owner").ValueKind == JsonValueKind.Null);
        Assert.Contains(app.MemberJob, mine);
        Assert.Contains(app.MemberJob, Ids(all));
        if (OwnOnly)
        {
            Assert.DoesNotContain(app.MemberJob, others);
            Assert.DoesNotContain(app.LegacyJob, mine);
        }
        else
        {
            Assert.Contains(app.MemberJob, others);
            Assert.Contains(app.LegacyJob, mine);
        }
    }

    [Fact]
    public async Task DatabaseFile_HoldsNeitherTestPasswordsNorKeys()
    {
        using (var admin = app.ClientFor(Caller.Admin))
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/audit?limit=500")).StatusCode);
        }

        var files = new[] { app.DatabaseFile, app.DatabaseFile + "-wal" }.Where(File.Exists).ToList();
        var bytes = files.SelectMany(File.ReadAllBytes).ToArray();

        Assert.True(bytes.Length > 4096, "The database file is missing or empty, so the check would prove nothing.");
        Assert.True(Contains(bytes, Encoding.UTF8.GetBytes(AccountsTestApp.MemberName)), "The member's name is not in the file: the check reads the wrong file.");
        foreach (var secret in app.Secrets)
        {
            Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(secret)), $"The database holds a secret in plain text ({secret[..6]}…).");
            Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(secret)), $"The database holds a secret as UTF-16 ({secret[..6]}…).");
        }
    }

    [Fact]
    public async Task Audit_RecordsSignInsJobsKeysAndUsers_NewestFirst_WithoutSecrets()
    {
        using var admin = app.ClientFor(Caller.Admin);
        using var anonymous = app.CreateClientWith(null);
        using (await anonymous.PostAsJsonAsync("/v1/auth/login", new { username = AccountsTestApp.OtherName, password = "wrong-password-here" }))
        {
        }

        var audit = await admin.GetJsonAsync("/v1/audit?limit=500");
        var entries = audit.GetProperty("entries").EnumerateArray().ToList();
        var actions = entries.Select(e => e.GetProperty("action").GetString()).ToHashSet();
        var text = audit.GetRawText();

        foreach (var action in new[] { "sign_in", "sign_in_failed", "job_submitted", "key_created", "key_revoked", "user_created", "user_changed" })
        {
            Assert.Contains(action, actions);
        }

        var failed = entries.First(e => e.GetProperty("action").GetString() == "sign_in_failed");
        Assert.Equal(AccountsTestApp.OtherName, failed.GetProperty("username").GetString());
        Assert.Equal("127.0.0.1", failed.GetProperty("address").GetString());
        var submitted = entries.First(e => e.GetProperty("action").GetString() == "job_submitted");
        Assert.NotEqual(JsonValueKind.Null, submitted.GetProperty("job_id").ValueKind);
        var ids = entries.Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        foreach (var secret in app.Secrets.Append("wrong-password-here"))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    private static HashSet<Guid> Ids(JsonElement list) =>
        [.. list.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("job_id").GetGuid())];

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}

public sealed class AccessRulesSharedTests(SharedVisibilityApp app) : AccessRulesTests(app), IClassFixture<SharedVisibilityApp>
{
    protected override bool OwnOnly => false;
}

public sealed class AccessRulesOwnTests(OwnVisibilityApp app) : AccessRulesTests(app), IClassFixture<OwnVisibilityApp>
{
    protected override bool OwnOnly => true;
}

/// <summary>The login rate limit: the 11th attempt in a minute from one address is 429, on the API and the page alike, however the path is spelled.</summary>
public sealed class LoginRateLimitTests : IClassFixture<VideoTrackerAppFactory>
{
    private readonly VideoTrackerAppFactory _factory;

    public LoginRateLimitTests(VideoTrackerAppFactory factory) => _factory = factory;

    [Fact]
    public async Task Login_EleventhAttemptInAMinute_Is429WithRetryAfter()
    {
        using var client = _factory.CreateAnonymousClient();
        var statuses = new List<HttpStatusCode>();
        // Every spelling that reaches a sign-in counts: a trailing slash or another case escapes nothing.
        string[] apiPaths = ["/v1/auth/login", "/v1/auth/login/", "/V1/AUTH/LOGIN", "/v1/auth/login/", "/v1/Auth/Login/"];
        string[] pagePaths = ["/login", "/login/", "/LOGIN", "/Login/", "/login/"];
        for (var i = 0; i < 5; i++)
        {
            using var api = await client.PostAsJsonAsync(apiPaths[i], new { username = "nobody", password = "wrong-password" });
            statuses.Add(api.StatusCode);
            using var page = await client.PostAsync(pagePaths[i], new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Username"] = "nobody" }));
            statuses.Add(page.StatusCode);
        }

        using var eleventh = await client.PostAsJsonAsync("/v1/auth/login", new { username = VideoTrackerAppFactory.AdminName, password = VideoTrackerAppFactory.AdminPassword });
        var body = await eleventh.Content.ReadAsStringAsync();

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.StatusCode);
        Assert.True(int.Parse(eleventh.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Contains("detail", body, StringComparison.Ordinal);
    }
}

public sealed class LockoutAppFactory : VideoTrackerAppFactory
{
    public LockoutAppFactory() => Settings["Auth:LoginAttemptsPerMinute"] = "100";
}

public sealed class LockoutTests(LockoutAppFactory factory) : IClassFixture<LockoutAppFactory>
{
    [Fact]
    public async Task Login_AfterFiveFailures_IsLockedEvenWithTheRightPassword()
    {
        using var admin = factory.CreateClient();
        using (var created = await admin.PostAsJsonAsync("/v1/users", new { username = "lou", password = "lou-password-1", role = "member" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var client = factory.CreateAnonymousClient();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.PostAsJsonAsync("/v1/auth/login", new { username = "lou", password = "not-lou-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var right = await client.PostAsJsonAsync("/v1/auth/login", new { username = "lou", password = "lou-password-1" });
        var (_, problem) = (right.StatusCode, JsonDocument.Parse(await right.Content.ReadAsStringAsync()).RootElement);
        var users = await admin.GetJsonAsync("/v1/users");

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Equal(SignInAnswerTests.WrongPassword, problem.Detail());   // locked, but it says no more than a wrong password does
        Assert.True(users.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("username").GetString() == "lou").GetProperty("locked_out").GetBoolean());
    }

    [Fact]
    public async Task CreateUser_WithShortPasswordOrUnknownRoleOrTakenName_Is400Or409()
    {
        using var admin = factory.CreateClient();

        using var weak = await admin.PostAsJsonAsync("/v1/users", new { username = "shorty", password = "123456789", role = "member" });
        using var role = await admin.PostAsJsonAsync("/v1/users", new { username = "roley", password = "long-enough-password", role = "owner" });
        using var taken = await admin.PostAsJsonAsync("/v1/users", new { username = VideoTrackerAppFactory.AdminName, password = "long-enough-password", role = "member" });

        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, role.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
    }
}

/// <summary>A Kestrel app whose proxy header is trusted from 127.0.0.1 (the test's own connection), or only from elsewhere.</summary>
public abstract class ProxyApp : KestrelAppFactoryBase
{
    protected ProxyApp(string trusted)
    {
        Settings["Auth:ProxyHeader"] = "Remote-User";
        Settings["Auth:TrustedProxies:0"] = trusted;
    }
}

public sealed class TrustedProxyApp() : ProxyApp("127.0.0.0/8");

public sealed class UntrustedProxyApp() : ProxyApp("10.0.0.0/8");

public sealed class ProxyHeaderTests(TrustedProxyApp trusted, UntrustedProxyApp untrusted) : IClassFixture<TrustedProxyApp>, IClassFixture<UntrustedProxyApp>
{
    [Fact]
    public async Task ProxyHeader_FromTrustedProxy_SignsInANewViewer_FromElsewhereIsIgnored()
    {
        using var viaProxy = new HttpClient { BaseAddress = new Uri(trusted.BaseUrl) };
        viaProxy.DefaultRequestHeaders.Add("Remote-User", "pia");
        using var direct = new HttpClient { BaseAddress = new Uri(untrusted.BaseUrl) };
        direct.DefaultRequestHeaders.Add("Remote-User", VideoTrackerAppFactory.AdminName);

        var me = await viaProxy.GetJsonAsync("/v1/auth/me");
        using var submit = await viaProxy.PostAsync("/v1/video/submit", ApiClient.SubmitForm(null));
        using var ignored = await direct.GetAsync("/v1/auth/me");

        Assert.Equal("pia", me.GetProperty("username").GetString());
        Assert.Equal("viewer", me.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, submit.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, ignored.StatusCode);
    }
}

public sealed class SetupAppFactory : VideoTrackerAppFactory
{
    public SetupAppFactory()
    {
        Settings["Auth:InitialAdmin:Username"] = null;
        Settings["Auth:InitialAdmin:Password"] = null;
    }
}

public sealed class FirstRunSetupTests(SetupAppFactory factory) : IClassFixture<SetupAppFactory>
{
    [Fact]
    public async Task Setup_WithTheCode_CreatesTheAdminOnce_Then404()
    {
        using var browser = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var code = factory.Services.GetRequiredService<SetupCode>().Current;
        Assert.NotNull(code);

        using var wrong = await browser.GetAsync("/setup?code=not-the-code");
        var fields = await browser.HiddenFieldsAsync($"/setup?code={code}");
        fields["Input.Username"] = "root";
        fields["Input.Password"] = "root-password-1";
        using var created = await browser.PostAsync($"/setup?code={code}", new FormUrlEncodedContent(fields));
        using var again = await browser.GetAsync($"/setup?code={code}");
        using var login = await factory.CreateAnonymousClient().PostAsJsonAsync("/v1/auth/login", new { username = "root", password = "root-password-1" });

        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.True(created.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther, $"setup answered {(int)created.StatusCode}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("data-testid=\"setup-closed\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);   // a page, not an empty body
        Assert.Contains("data-testid=\"setup-closed\"", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("admin", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());
        Assert.Null(factory.Services.GetRequiredService<SetupCode>().Current);
    }
}

public sealed class AuthOffAppFactory : VideoTrackerAppFactory
{
    public AuthOffAppFactory() => Settings["Auth:Enabled"] = "false";
}

public sealed class AuthOffTests(AuthOffAppFactory factory) : IClassFixture<AuthOffAppFactory>
{
    [Fact]
    public async Task AuthOff_OpensApiAndPages_WithABanner()
    {
        using var client = factory.CreateAnonymousClient();

        using var jobs = await client.GetAsync("/v1/jobs");
        using var openApi = await client.GetAsync("/openapi/v1.json");
        var page = await client.GetStringAsync("/");

        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Contains("data-testid=\"auth-off-banner\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthOff_OnANonLoopbackAddress_RefusesToStart()
    {
        using var data = new TempDirectory();
        var (exitCode, output) = await AppProcess.RunUntilExitAsync(
            data.Path,
            new Dictionary<string, string> { ["Auth__Enabled"] = "false", ["ASPNETCORE_URLS"] = "http://0.0.0.0:0" },
            TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains("Auth:AllowAnonymousNetwork", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ListenAddresses_LoopbackOnlyWhenEveryAddressIsLoopback()
    {
        Assert.True(AuthOffGuard.IsLoopback("http://127.0.0.1:5000"));
        Assert.True(AuthOffGuard.IsLoopback("http://localhost:5000"));
        Assert.True(AuthOffGuard.IsLoopback("http://[::1]:5000"));
        Assert.False(AuthOffGuard.IsLoopback("http://0.0.0.0:5000"));
        Assert.False(AuthOffGuard.IsLoopback("http://*:8080"));
        Assert.False(AuthOffGuard.IsLoopback("http://+:80"));
        Assert.False(AuthOffGuard.IsLoopback("http://192.168.1.5:5000"));
    }
}

public sealed class OpenApiSecurityTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    [Fact]
    public async Task OpenApiDocument_DeclaresCookieAndApiKeySchemes()
    {
        using var client = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", await client.SignInAsync(VideoTrackerAppFactory.AdminName, VideoTrackerAppFactory.AdminPassword));

        var document = await client.GetJsonAsync("/openapi/v1.json");
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");

        Assert.Equal("cookie", schemes.GetProperty("cookie").GetProperty("in").GetString());
        Assert.Equal("vt_auth", schemes.GetProperty("cookie").GetProperty("name").GetString());
        Assert.Equal("header", schemes.GetProperty("apiKey").GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal(3, document.GetProperty("security").GetArrayLength());
    }
}

public sealed class HealthOpenTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    [Fact]
    public async Task Health_AnswersAnonymousProbes_AndRevealsNoUserJobOrPath()
    {
        using var admin = factory.CreateClient();
        var job = await admin.SubmitAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 3, name: "health-secret-name.avi"));
        await admin.WaitForTerminalAsync(job);
        using var probe = factory.CreateAnonymousClient();

        using var live = await probe.GetAsync("/health/live");
        using var ready = await probe.GetAsync("/health/ready");
        var body = await live.Content.ReadAsStringAsync() + await ready.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.DoesNotContain(factory.DataDirectory, body, StringComparison.Ordinal);
        Assert.DoesNotContain(VideoTrackerAppFactory.AdminName, body, StringComparison.Ordinal);
        Assert.DoesNotContain(job.ToString(), body, StringComparison.Ordinal);
        Assert.DoesNotContain("health-secret-name", body, StringComparison.Ordinal);
    }
}
