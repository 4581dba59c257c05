using System.Net.Http.Json;
using VideoTracker.App.Accounts;
using VideoTracker.Tests.EndToEnd;

namespace VideoTracker.Tests.Accounts;

/// <summary>
/// Behind a trusted reverse proxy (the test's own 127.0.0.1 connection, on <see cref="TrustedProxyApp"/>), the audit
/// trail, the sign-in rate limit and the cookie's Secure flag follow the client that <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> name; from a connection that is not a trusted proxy, or when no proxy is trusted at all,
/// the headers change nothing.
/// </summary>
public sealed class ForwardedClientTests(TrustedProxyApp trusted, UntrustedProxyApp untrusted, NoTrustedProxyApp none)
    : IClassFixture<TrustedProxyApp>, IClassFixture<UntrustedProxyApp>, IClassFixture<NoTrustedProxyApp>
{
    [Fact]
    public async Task ThroughTheTrustedProxy_EachClientHasItsOwnAddressAndRateLimit_AndHttpsGetsASecureCookie()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(trusted, "203.0.113.7", "wrong-password-1"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(trusted, "203.0.113.7", "wrong-password-1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(trusted, "203.0.113.8", "wrong-password-1"));   // another client
        Assert.Equal("203.0.113.8", await LastFailedSignInAddressAsync(trusted));

        Assert.Contains("secure", await HttpsSignInCookieAsync(trusted), StringComparison.OrdinalIgnoreCase);

        using var viaProxy = Client(trusted, "203.0.113.10");   // the proxy header is still judged by the proxy's own address
        viaProxy.DefaultRequestHeaders.Add("Remote-User", "fern");
        Assert.Equal("fern", (await viaProxy.GetJsonAsync("/v1/auth/me")).GetProperty("username").GetString());
    }

    [Theory]
    [InlineData(true)]    // Auth:TrustedProxies names some other address
    [InlineData(false)]   // Auth:TrustedProxies is empty (the default)
    public async Task FromAnUntrustedConnection_TheForwardedHeadersChangeNothing(bool someProxyTrusted)
    {
        KestrelAppFactoryBase app = someProxyTrusted ? untrusted : none;

        var cookie = await HttpsSignInCookieAsync(app);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        using (var signedIn = Client(app, "203.0.113.9"))
        {
            signedIn.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
            var sessions = (await signedIn.GetJsonAsync("/v1/auth/sessions")).GetProperty("sessions").EnumerateArray();
            Assert.Equal("127.0.0.1", sessions.Single(s => s.GetProperty("current").GetBoolean()).GetProperty("address").GetString());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(app, "203.0.113.7", "wrong-password-1"));
        Assert.Equal("127.0.0.1", await LastFailedSignInAddressAsync(app));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)   // each claims another address; all come from 127.0.0.1, limited to 10 a minute
        {
            statuses.Add(await SignInAsync(app, $"203.0.113.{20 + i}", "wrong-password-1"));
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    /// <summary>The sign-in cookie the admin gets through a proxy that says the client used HTTPS.</summary>
    private static async Task<string> HttpsSignInCookieAsync(KestrelAppFactoryBase app)
    {
        using var client = Client(app, "203.0.113.9");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var login = await client.PostAsJsonAsync("/v1/auth/login", new { username = VideoTrackerAppFactory.AdminName, password = VideoTrackerAppFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AccountsServiceCollectionExtensions.CookieName, StringComparison.Ordinal));
    }

    private static HttpClient Client(KestrelAppFactoryBase app, string forwardedFor)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    private static async Task<HttpStatusCode> SignInAsync(KestrelAppFactoryBase app, string forwardedFor, string password)
    {
        using var client = Client(app, forwardedFor);
        using var login = await client.PostAsJsonAsync("/v1/auth/login", new { username = "nobody", password });
        return login.StatusCode;
    }

    private static async Task<string?> LastFailedSignInAddressAsync(KestrelAppFactoryBase app)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        admin.DefaultRequestHeaders.Add("X-Api-Key", VideoTrackerAppFactory.ServiceKey);
        var entries = (await admin.GetJsonAsync("/v1/audit?limit=50")).GetProperty("entries").EnumerateArray();
        return entries.First(e => e.GetProperty("action").GetString() == "sign_in_failed").GetProperty("address").GetString();
    }
}

/// <summary>A Kestrel app with the default settings: no <c>Auth:TrustedProxies</c>.</summary>
public sealed class NoTrustedProxyApp : KestrelAppFactoryBase;
