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
/// each user sees and ends only their own, and an admin another user's; the database holds only the hash of a cookie's secret.
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EndingTheSessionOneCallsFrom_DeletesItsCookieToo(bool asAdminThroughTheUsersRoute)
    {
        var name = asAdminThroughTheUsersRoute ? await NewUserAsync("boss", AppRoles.Admin) : await NewMemberAsync("sam");
        var sessions = asAdminThroughTheUsersRoute ? $"/v1/users/{name}/sessions" : "/v1/auth/sessions";
        using var me = WithCookie(await SignInAsync(name));
        var mine = Current(await me.GetJsonAsync(sessions));

        using var ended = await me.DeleteAsync($"{sessions}/{mine}");
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
        Assert.StartsWith("/login", page.Headers.Location?.OriginalString, StringComparison.Ordinal);
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

    [Fact]
    public async Task AdminEndsAnotherUsersSession_ThatCookieAnswers401_TheirOtherGoesOn_AndItIsAudited()
    {
        var name = await NewMemberAsync("stolen");
        var stolenCookie = await SignInAsync(name);
        using var stolen = WithCookie(stolenCookie);
        using var kept = WithCookie(await SignInAsync(name));
        using var admin = WithCookie(await SignInAsync(VideoTrackerAppFactory.AdminName, VideoTrackerAppFactory.AdminPassword));
        var stolenId = Current(await stolen.GetJsonAsync("/v1/auth/sessions"));
        var keptId = Current(await kept.GetJsonAsync("/v1/auth/sessions"));

        using var listing = await admin.GetAsync($"/v1/users/{name}/sessions");
        var listedText = await listing.Content.ReadAsStringAsync();
        using var ended = await admin.DeleteAsync($"/v1/users/{name}/sessions/{stolenId}");
        using var stolenAfter = await stolen.GetAsync("/v1/jobs");
        using var keptAfter = await kept.GetAsync("/v1/jobs");
        using var adminAfter = await admin.GetAsync("/v1/jobs");
        var left = Sessions(await admin.GetJsonAsync($"/v1/users/{name}/sessions"));

        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        var listed = Sessions(JsonDocument.Parse(listedText).RootElement);
        Assert.Equal(new[] { stolenId, keptId }.Order(), listed.Select(s => s.GetProperty("id").GetGuid()).Order());
        Assert.All(listed, s => Assert.False(s.GetProperty("current").GetBoolean()));
        var secret = AuthCookie.Principal(factory.Services, stolenCookie).SessionSecret()!;
        Assert.DoesNotContain(secret, listedText, StringComparison.Ordinal);
        Assert.DoesNotContain(Secrets.HashOf(secret), listedText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        Assert.False(ended.Headers.Contains("Set-Cookie"), "Ending another user's session must not touch the admin's own cookie.");
        Assert.Equal(HttpStatusCode.Unauthorized, stolenAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keptAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, adminAfter.StatusCode);
        Assert.Equal(keptId, Assert.Single(left).GetProperty("id").GetGuid());
        var audit = (await _service.GetJsonAsync($"/v1/audit?action={AuditActions.UserSessionEnded}")).GetProperty("entries").EnumerateArray();
        var entry = Assert.Single(audit, e => e.GetProperty("detail").GetString() == $"{name}: session {stolenId}");
        Assert.Equal(VideoTrackerAppFactory.AdminName, entry.GetProperty("username").GetString());
    }

    [Fact]
    public async Task ListingAnotherUsersSessions_IsAuditedAsTheAdmins_AndListingOnesOwnIsNot()
    {
        var name = await NewMemberAsync("watched");
        using var member = WithCookie(await SignInAsync(name));
        var adminName = await NewUserAsync("lister", AppRoles.Admin);
        using var admin = WithCookie(await SignInAsync(adminName));

        using var others = await admin.GetAsync($"/v1/users/{name}/sessions");
        using var own = await admin.GetAsync($"/v1/users/{adminName}/sessions");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (others.StatusCode, own.StatusCode));
        var audit = (await _service.GetJsonAsync($"/v1/audit?user={adminName}&action={AuditActions.UserSessionsListed}")).GetProperty("entries");
        Assert.Equal($"{name}: 1 listed", Assert.Single(audit.EnumerateArray()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(AppRoles.Member, HttpStatusCode.Forbidden)]
    [InlineData(AppRoles.Viewer, HttpStatusCode.Forbidden)]
    public async Task AnotherUsersSessions_ForAnyoneButAnAdmin_AreRefusedWithADetail_AndTheSessionGoesOn(string? role, HttpStatusCode expected)
    {
        var target = await NewMemberAsync("target");
        using var targetClient = WithCookie(await SignInAsync(target));
        var targetId = Current(await targetClient.GetJsonAsync("/v1/auth/sessions"));
        using var caller = role is null ? WithCookie(string.Empty) : WithCookie(await SignInAsync(await NewUserAsync("caller", role)));

        var list = await caller.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/users/{target}/sessions"));
        var end = await caller.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/users/{target}/sessions/{targetId}"));
        using var targetAfter = await targetClient.GetAsync("/v1/jobs");

        Assert.Equal((expected, expected), (list.Status, end.Status));
        Assert.False(string.IsNullOrWhiteSpace(list.Body.Detail()));
        Assert.False(string.IsNullOrWhiteSpace(end.Body.Detail()));
        Assert.DoesNotContain(targetId.ToString(), list.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, targetAfter.StatusCode);
    }

    [Fact]
    public async Task AnotherUsersSessions_UnknownUserOrSessionOrAnotherUsersSession_Answer404_AndAMalformedId400()
    {
        var name = await NewMemberAsync("known");
        using var other = WithCookie(await SignInAsync(await NewMemberAsync("other")));
        var othersId = Current(await other.GetJsonAsync("/v1/auth/sessions"));

        var unknownUser = await _service.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/users/nobody-at-all/sessions"));
        var endOfUnknownUser = await _service.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/users/nobody-at-all/sessions/{othersId}"));
        var unknownSession = await _service.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/users/{name}/sessions/{Guid.NewGuid()}"));
        var othersUnderName = await _service.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/users/{name}/sessions/{othersId}"));
        var malformed = await _service.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/users/{name}/sessions/not-a-guid"));
        using var otherAfter = await other.GetAsync("/v1/jobs");

        Assert.Equal((HttpStatusCode.NotFound, "No user named 'nobody-at-all'."), (unknownUser.Status, unknownUser.Body.Detail()));
        Assert.Equal((HttpStatusCode.NotFound, "No user named 'nobody-at-all'."), (endOfUnknownUser.Status, endOfUnknownUser.Body.Detail()));
        Assert.Equal((HttpStatusCode.NotFound, "Session not found."), (unknownSession.Status, unknownSession.Body.Detail()));
        Assert.Equal((HttpStatusCode.NotFound, "Session not found."), (othersUnderName.Status, othersUnderName.Body.Detail()));
        Assert.Equal((HttpStatusCode.BadRequest, "'not-a-guid' is not a valid session id."), (malformed.Status, malformed.Body.Detail()));
        Assert.Equal(HttpStatusCode.OK, otherAfter.StatusCode);
    }

    [Fact]
    public async Task UsersPage_WithAUsersSessionsAsked_ShowsThemToAnAdmin()
    {
        var name = await NewMemberAsync("shown");
        var secret = AuthCookie.Principal(factory.Services, await SignInAsync(name)).SessionSecret()!;
        using var admin = WithCookie(await SignInAsync(VideoTrackerAppFactory.AdminName, VideoTrackerAppFactory.AdminPassword));

        using var page = await admin.GetAsync($"/admin/users?sessions={name}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"href=\"admin/users?sessions={name}#user-sessions\"", html, StringComparison.Ordinal);
        Assert.Contains($"Sessions of {name}", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "data-testid=\"user-session-row\""));
        Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        Assert.DoesNotContain(Secrets.HashOf(secret), html, StringComparison.Ordinal);
    }

    /// <summary>A new member named after <paramref name="stem"/>, unique to the test.</summary>
    private Task<string> NewMemberAsync(string stem) => NewUserAsync(stem, AppRoles.Member);

    /// <summary>A new user with <paramref name="role"/>, named after <paramref name="stem"/>, unique to the test.</summary>
    private async Task<string> NewUserAsync(string stem, string role)
    {
        var name = $"{stem}-{Guid.NewGuid():N}"[..16];
        using var created = await _service.PostAsJsonAsync("/v1/users", new { username = name, password = Password, role });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return name;
    }

    private async Task<string> SignInAsync(string name, string password = Password)
    {
        using var client = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        return await client.SignInAsync(name, password);
    }

    /// <summary>A client that sends this cookie (none when empty) and keeps no other: each one is a browser, or a copy of its cookie.</summary>
    private HttpClient WithCookie(string cookie)
    {
        var client = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        if (cookie.Length > 0)
        {
            client.DefaultRequestHeaders.Add("Cookie", cookie);
        }

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
