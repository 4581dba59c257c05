using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using VideoTracker.App.Accounts;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Tests.Accounts;

/// <summary>The check a page's circuit makes before it acts: the cookie's own, against the database, without a request.</summary>
public sealed class SessionValidatorTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    private readonly SessionValidator _sessions = factory.Services.GetRequiredService<SessionValidator>();

    [Theory]
    [InlineData(AuthNames.OpenScheme)]
    [InlineData(AuthNames.ApiKeyScheme)]
    public async Task CurrentAsync_ForAuthOffOrTheServiceKey_ReturnsThePrincipalAsIs(string scheme)
    {
        var service = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(AuthNames.ServiceClaim, "true"), new Claim(ClaimTypes.Role, AppRoles.Admin)], scheme, ClaimTypes.Name, ClaimTypes.Role));

        Assert.Same(service, await _sessions.CurrentAsync(service));
    }

    [Fact]
    public async Task CurrentAsync_ForAnAnonymousPrincipal_ReturnsNull() =>
        Assert.Null(await _sessions.CurrentAsync(new ClaimsPrincipal(new ClaimsIdentity())));

    [Fact]
    public async Task CurrentAsync_ForAnUnchangedUser_ReturnsThemWithTheirSchemeAndRole_AndNullOnceTheirRoleChanges()
    {
        var principal = await PrincipalAsync("sam", AuthNames.ProxyScheme);

        var current = await _sessions.CurrentAsync(principal);

        Assert.Equal(("sam", AuthNames.ProxyScheme, AppRoles.Member), (current?.UserName(), current?.Identity?.AuthenticationType, current?.Role()));
        using var admin = factory.CreateClient();
        using (var changed = await admin.PatchAsJsonAsync("/v1/users/sam", new { role = AppRoles.Admin }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        Assert.Null(await _sessions.CurrentAsync(principal));
    }

    [Fact]
    public async Task CurrentAsync_ForADeletedUser_ReturnsNull()
    {
        var principal = await PrincipalAsync("dora", IdentityConstants.ApplicationScheme);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.DeleteAsync((await users.FindByNameAsync("dora"))!)).Succeeded);
        }

        Assert.Null(await _sessions.CurrentAsync(principal));
    }

    [Fact]
    public async Task CurrentAsync_ForACookieWhoseSessionIsSignedOut_ReturnsNull()
    {
        await PrincipalAsync("cleo", IdentityConstants.ApplicationScheme);
        using var browser = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var cookie = await browser.SignInAsync("cleo", "session-check-password");
        var principal = AuthCookie.Principal(factory.Services, cookie);

        var before = await _sessions.CurrentAsync(principal);
        browser.DefaultRequestHeaders.Add("Cookie", cookie);
        using (var logout = await browser.PostAsync("/v1/auth/logout", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        Assert.Equal(principal.SessionSecret(), before?.SessionSecret());
        Assert.Null(await _sessions.CurrentAsync(principal));
    }

    [Fact]
    public async Task CurrentAsync_ForACookieFromBeforeSessions_ReturnsNull() =>
        Assert.Null(await _sessions.CurrentAsync(await PrincipalAsync("olga", IdentityConstants.ApplicationScheme)));

    /// <summary>A new member's principal as <paramref name="scheme"/>'s handler builds it: the claims of Identity's factory under the scheme's name.</summary>
    private async Task<ClaimsPrincipal> PrincipalAsync(string name, string scheme)
    {
        using var admin = factory.CreateClient();
        using (var created = await admin.PostAsJsonAsync("/v1/users", new { username = name, password = "session-check-password", role = AppRoles.Member }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var issued = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync((await users.FindByNameAsync(name))!);
        return new ClaimsPrincipal(new ClaimsIdentity(issued.Claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
