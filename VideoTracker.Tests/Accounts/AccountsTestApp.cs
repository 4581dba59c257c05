using System.Net.Http.Json;
using VideoTracker.Tests.EndToEnd;

namespace VideoTracker.Tests.Accounts;

/// <summary>Who calls, in the role matrix.</summary>
public enum Caller
{
    Anonymous,
    AnonymousWithPageCookies,
    Viewer,
    MemberOwner,
    OtherMember,
    Admin,
    RevokedKey,
    DisabledUsersKey,
    ServiceKey,
}

/// <summary>
/// The real app on a real Kestrel port with a real SQLite file, and one caller of each kind: users signed in
/// with the cookie, keys (live, revoked, of a disabled user), the service key, and anonymous visitors.
/// </summary>
public abstract class AccountsTestApp : KestrelAppFactoryBase, IAsyncLifetime
{
    public const string Password = "correct-horse-battery";
    public const string ViewerName = "vera";
    public const string MemberName = "mona";
    public const string OtherName = "otto";
    public const string DisabledName = "gone";
    public const string ChangedName = "pat";

    private readonly Dictionary<Caller, (string Header, string Value)?> _credentials = [];

    protected AccountsTestApp(string visibility)
    {
        Settings["Auth:JobVisibility"] = visibility;
        Settings["Auth:LoginAttemptsPerMinute"] = "1000";
    }

    /// <summary>A finished job of the member (owner).</summary>
    public Guid MemberJob { get; private set; }

    /// <summary>A finished job from before accounts: no owner.</summary>
    public Guid LegacyJob { get; private set; }

    /// <summary>Every key and password the tests used, to look for in the database file.</summary>
    public List<string> Secrets { get; } = [Password, AdminPassword];

    public async Task InitializeAsync()
    {
        using var service = ClientFor(Caller.ServiceKey);
        foreach (var (name, role) in new[] { (ViewerName, "viewer"), (MemberName, "member"), (OtherName, "member"), (DisabledName, "member"), (ChangedName, "viewer") })
        {
            using var created = await service.PostAsJsonAsync("/v1/users", new { username = name, password = Password, role });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        _credentials[Caller.Anonymous] = null;
        _credentials[Caller.AnonymousWithPageCookies] = ("Cookie", await AnonymousPageCookiesAsync());
        _credentials[Caller.Viewer] = ("Cookie", await SignInAsync(ViewerName, Password));
        _credentials[Caller.MemberOwner] = ("Cookie", await SignInAsync(MemberName, Password));
        _credentials[Caller.OtherMember] = ("Cookie", await SignInAsync(OtherName, Password));
        _credentials[Caller.Admin] = ("Cookie", await SignInAsync(AdminName, AdminPassword));
        _credentials[Caller.ServiceKey] = ("X-Api-Key", ServiceKey);

        var revoked = await CreateKeyAsync(Caller.MemberOwner, "to-revoke");
        using (var member = ClientFor(Caller.MemberOwner))
        using (var revoke = await member.DeleteAsync($"/v1/keys/{revoked.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        _credentials[Caller.RevokedKey] = ("X-Api-Key", revoked.Key);

        using (var gone = CreateClientWith(("Cookie", await SignInAsync(DisabledName, Password))))
        {
            var key = await CreateKeyWithAsync(gone, "of-a-user-to-disable");
            _credentials[Caller.DisabledUsersKey] = ("Authorization", $"Bearer {key.Key}");
        }

        using (var disable = await service.PatchAsJsonAsync($"/v1/users/{DisabledName}", new { disabled = true }))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }

        MemberJob = await SubmitAndFinishAsync(Caller.MemberOwner);
        LegacyJob = await SubmitAndFinishAsync(Caller.ServiceKey);
    }

    /// <summary>A fresh client with the caller's cookie or key, and no cookie jar: nothing one call does changes another.</summary>
    public HttpClient ClientFor(Caller caller) => CreateClientWith(_credentials.TryGetValue(caller, out var c) ? c : caller == Caller.ServiceKey ? ("X-Api-Key", ServiceKey) : null);

    public HttpClient CreateClientWith((string Header, string Value)? credential)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
        if (credential is { } c)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(c.Header, c.Value);
        }

        return client;
    }

    public async Task<(Guid Id, string Key)> CreateKeyAsync(Caller caller, string name)
    {
        using var client = ClientFor(caller);
        return await CreateKeyWithAsync(client, name);
    }

    public async Task<Guid> SubmitAndFinishAsync(Caller caller)
    {
        using var client = ClientFor(caller);
        var job = await client.SubmitAsync(TestClips.MovingSquare(Clips.Path, frames: 3, name: $"{Guid.NewGuid():N}.avi"));
        var status = await client.WaitForTerminalAsync(job);
        Assert.Equal("completed", status.Status());
        return job;
    }

    /// <summary>Signs in with the API and returns the auth cookie as a Cookie header value.</summary>
    public async Task<string> SignInAsync(string username, string password)
    {
        using var client = CreateClientWith(null);
        return await client.SignInAsync(username, password);
    }

    /// <summary>
    /// A client with a session of the caller's own, apart from the one <see cref="ClientFor"/> sends: the caller signs in
    /// again. Callers without a cookie get <see cref="ClientFor"/>'s client.
    /// </summary>
    public async Task<HttpClient> ClientWithNewSessionAsync(Caller caller) => caller switch
    {
        Caller.Viewer => CreateClientWith(("Cookie", await SignInAsync(ViewerName, Password))),
        Caller.MemberOwner => CreateClientWith(("Cookie", await SignInAsync(MemberName, Password))),
        Caller.OtherMember => CreateClientWith(("Cookie", await SignInAsync(OtherName, Password))),
        Caller.Admin => CreateClientWith(("Cookie", await SignInAsync(AdminName, AdminPassword))),
        _ => ClientFor(caller),
    };

    /// <summary>The id of a new session of the caller's user, as <c>GET /v1/auth/sessions</c> marks it.</summary>
    public async Task<Guid> NewSessionIdAsync(Caller caller)
    {
        using var client = await ClientWithNewSessionAsync(caller);
        var sessions = (await client.GetJsonAsync("/v1/auth/sessions")).GetProperty("sessions").EnumerateArray();
        return sessions.Single(s => s.GetProperty("current").GetBoolean()).GetProperty("id").GetGuid();
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    private async Task<string> AnonymousPageCookiesAsync()
    {
        var jar = new CookieContainer();
        using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = jar, AllowAutoRedirect = true }) { BaseAddress = new Uri(BaseUrl) };
        using (await client.GetAsync("/"))
        using (await client.GetAsync("/login"))
        {
        }

        var header = jar.GetCookieHeader(new Uri(BaseUrl));
        Assert.False(string.IsNullOrEmpty(header), "Visiting the pages gave no cookie at all (antiforgery should), so the case tests nothing.");
        return header;
    }

    private async Task<(Guid Id, string Key)> CreateKeyWithAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsJsonAsync("/v1/keys", new { name });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /v1/keys answered {(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        var key = json.GetProperty("key").GetString()!;
        Secrets.Add(key);
        return (json.GetProperty("id").GetGuid(), key);
    }
}

public sealed class SharedVisibilityApp() : AccountsTestApp("shared");

public sealed class OwnVisibilityApp() : AccountsTestApp("own");
