using System.Text;

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

    public void Dispose() => _temp.Dispose();
}
