using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using VideoTracker.App.Accounts;
using VideoTracker.Core.Accounts;
using VideoTracker.Core.Data;

namespace VideoTracker.Tests.Api;

/// <summary>
/// Cookie sessions are kept on the server: signing out, or out of other sessions, ends every copy of a cookie at once;
/// each user sees and ends only their own; the database holds only the hash of a cookie's secret.
/// </summary>
public sealed class SessionsApiTests(SessionsApiTests.ManySignInsAppFactory factory) : IClassFixture<SessionsApiTests.ManySignInsAppFactory>
{
    private const string Password = "session-test-password";
    private readonly HttpClient _service = factory.CreateClient();

    [Fact]
    public async Task Logout_ThenASavedCopyOfTheCookie_Answers401()
    {
        var cookie = await SignInAsync(await NewMemberAsync("lou"));
        using var browser = WithCookie(cookie);
        using var copy = WithCookie(cookie);
        using var before = await copy.GetAsync("/v1/jobs");

        using var logout = await browser.PostAsync("/v1/auth/logout", null);
        using var after = await copy.GetAsync("/v1/jobs");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task EndOthers_FromSessionA_EndsSessionB_AndAGoesOn()
    {
        var name = await NewMemberAsync("ann");
        using var a = WithCookie(await SignInAsync(name));
        using var b = WithCookie(await SignInAsync(name));
        var listed = Sessions(await a.GetJsonAsync("/v1/auth/sessions"));

        using var ended = await a.PostAsync("/v1/auth/sessions/end-others", null);
        using var bAfter = await b.GetAsync("/v1/jobs");
        using var aAfter = await a.GetAsync("/v1/jobs");

        Assert.Equal([false, true], listed.Select(s => s.GetProperty("current").GetBoolean()).Order());
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(1, (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ended").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, bAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, aAfter.StatusCode);
        var left = Assert.Single(Sessions(await a.GetJsonAsync("/v1/auth/sessions")));
        Assert.True(left.GetProperty("current").GetBoolean());
        Assert.Equal(listed.Single(s => s.GetProperty("current").GetBoolean()).GetProperty("id").GetGuid(), left.GetProperty("id").GetGuid());
        var audit = (await _service.GetJsonAsync("/v1/audit?limit=500")).GetProperty("entries").EnumerateArray();
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == AuditActions.OtherSessionsEnded && e.GetProperty("username").GetString() == name);
    }

    [Fact]
    public async Task EndingTheSessionOneCallsFrom_DeletesItsCookieToo()
    {
        using var me = WithCookie(await SignInAsync(await NewMemberAsync("sam")));
        var mine = Current(await me.GetJsonAsync("/v1/auth/sessions"));

        using var ended = await me.DeleteAsync($"/v1/auth/sessions/{mine}");
        using var after = await me.GetAsync("/v1/jobs");

        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        var cleared = Assert.Single(ended.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AccountsServiceCollectionExtensions.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Sessions_OfAnotherUser_CannotBeListedOrEnded_ButOnesOwnCan()
    {
        var mine = await NewMemberAsync("me");
        using var me = WithCookie(await SignInAsync(mine));
        using var myOther = WithCookie(await SignInAsync(mine));
        using var them = WithCookie(await SignInAsync(await NewMemberAsync("them")));
        var theirs = Current(await them.GetJsonAsync("/v1/auth/sessions"));
        var myOtherId = Current(await myOther.GetJsonAsync("/v1/auth/sessions"));

        var listedByMe = Sessions(await me.GetJsonAsync("/v1/auth/sessions")).Select(s => s.GetProperty("id").GetGuid()).ToList();
        using var endTheirs = await me.DeleteAsync($"/v1/auth/sessions/{theirs}");
        using var serviceEndsTheirs = await _service.DeleteAsync($"/v1/auth/sessions/{theirs}");
        using var theirsAfter = await them.GetAsync("/v1/jobs");
        using var endMine = await me.DeleteAsync($"/v1/auth/sessions/{myOtherId}");
        using var myOtherAfter = await myOther.GetAsync("/v1/jobs");
        using var malformed = await me.DeleteAsync("/v1/auth/sessions/not-a-guid");

        Assert.DoesNotContain(theirs, listedByMe);
        Assert.Contains(myOtherId, listedByMe);
        Assert.Equal(HttpStatusCode.NotFound, endTheirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, serviceEndsTheirs.StatusCode);
        Assert.Equal(HttpStatusCode.OK, theirsAfter.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, endMine.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, myOtherAfter.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task CookieFromBeforeSessions_IsSignedOut_401OnTheApiAndToSignInOnPages()
    {
        var current = AuthCookie.Principal(factory.Services, await SignInAsync(await NewMemberAsync("old")));
        var withoutSession = new ClaimsPrincipal(new ClaimsIdentity(
            current.Claims.Where(c => c.Type != AuthNames.SessionClaim), current.Identity!.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role));
        using var old = WithCookie(AuthCookie.Issue(factory.Services, withoutSession));
        using var same = WithCookie(AuthCookie.Issue(factory.Services, current));

        using var api = await old.GetAsync("/v1/jobs");
        using var page = await old.GetAsync("/jobs");
        using var control = await same.GetAsync("/v1/jobs");

        Assert.Equal(HttpStatusCode.OK, control.StatusCode);   // the test's own cookie works when it has its session
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionSecret_InTheCookie_IsStoredOnlyAsItsHash()
    {
        var name = await NewMemberAsync("hash");
        var cookie = await SignInAsync(name);
        var secret = AuthCookie.Principal(factory.Services, cookie).SessionSecret();
        using var client = WithCookie(cookie);
        var listed = (await client.GetJsonAsync("/v1/auth/sessions")).GetRawText();

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();
        var row = await db.Sessions.AsNoTracking().SingleAsync(s => s.User!.UserName == name);

        Assert.NotNull(secret);
        Assert.True(secret.Length >= 40, "The session secret is too short to be unguessable.");
        Assert.Equal(Secrets.HashOf(secret), row.Hash);
        Assert.False(await db.Sessions.AnyAsync(s => s.Hash == secret || s.Address == secret || s.UserAgent == secret));
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(row.Hash, listed, StringComparison.Ordinal);
        if (!factory.OnPostgres)
        {
            var bytes = new[] { factory.DatabaseFile, factory.DatabaseFile + "-wal" }.Where(File.Exists).SelectMany(File.ReadAllBytes).ToArray();
            Assert.True(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(row.Hash)) >= 0, "The hash is not in the file: the check reads the wrong file.");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, "The database file holds the session secret in plain text.");
        }
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("reset")]
    public async Task AdminDisablingOrResettingAUser_DeletesTheirSessions(string change)
    {
        var name = await NewMemberAsync(change);
        using var session = WithCookie(await SignInAsync(name));
        Assert.Single(Sessions(await session.GetJsonAsync("/v1/auth/sessions")));

        object body = change == "disable" ? new { disabled = true } : new { password = "a-new-password-1" };
        using var changed = await _service.PatchAsJsonAsync($"/v1/users/{name}", body);
        using var after = await session.GetAsync("/v1/jobs");

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<VideoTrackerDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Sessions.AnyAsync(s => s.User!.UserName == name));
    }

    /// <summary>A new member named after <paramref name="stem"/>, unique to the test.</summary>
    private async Task<string> NewMemberAsync(string stem)
    {
        var name = $"{stem}-{Guid.NewGuid():N}"[..16];
        using var created = await _service.PostAsJsonAsync("/v1/users", new { username = name, password = Password, role = AppRoles.Member });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return name;
    }

    private async Task<string> SignInAsync(string name)
    {
        using var client = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        return await client.SignInAsync(name, Password);
    }

    /// <summary>A client that sends this cookie and keeps no other: each one is a browser, or a copy of its cookie.</summary>
    private HttpClient WithCookie(string cookie)
    {
        var client = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    private static List<JsonElement> Sessions(JsonElement list) => [.. list.GetProperty("sessions").EnumerateArray()];

    private static Guid Current(JsonElement list) => Sessions(list).Single(s => s.GetProperty("current").GetBoolean()).GetProperty("id").GetGuid();

    /// <summary>Every test here signs in afresh, more than the sign-in rate limit allows one address in a minute.</summary>
    public sealed class ManySignInsAppFactory : VideoTrackerAppFactory
    {
        public ManySignInsAppFactory() => Settings["Auth:LoginAttemptsPerMinute"] = "100";
    }
}
