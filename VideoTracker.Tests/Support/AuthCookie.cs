using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace VideoTracker.Tests.Support;

/// <summary>The sign-in cookie, as a client gets it and as the app reads it.</summary>
public static class AuthCookie
{
    /// <summary>
    /// Signs in with <c>POST /v1/auth/login</c> on a client without a cookie jar and returns the auth cookie as a
    /// Cookie header value (<c>vt_auth=…</c>), after checking its HttpOnly and SameSite flags.
    /// </summary>
    public static async Task<string> SignInAsync(this HttpClient client, string username, string password)
    {
        using var response = await client.PostAsJsonAsync("/v1/auth/login", new { username, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vt_auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        return cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>The principal inside a <c>vt_auth=…</c> cookie, decrypted with the app's own keys: what no client can read.</summary>
    public static ClaimsPrincipal Principal(IServiceProvider app, string cookie)
    {
        var ticket = Format(app).Unprotect(cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.NotNull(ticket);
        return ticket.Principal;
    }

    /// <summary>A <c>vt_auth=…</c> cookie for <paramref name="principal"/>, encrypted with the app's own keys, as an older version of the app might have issued it.</summary>
    public static string Issue(IServiceProvider app, ClaimsPrincipal principal) =>
        $"vt_auth={Format(app).Protect(new AuthenticationTicket(principal, IdentityConstants.ApplicationScheme))}";

    private static ISecureDataFormat<AuthenticationTicket> Format(IServiceProvider app) =>
        app.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).TicketDataFormat;
}
