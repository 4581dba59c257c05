using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace VideoTracker.App.Security;

/// <summary>
/// Guards /v1 with <c>Security:ApiKey</c>, compared in constant time. The UI runs in the same process and
/// never sees the key: pages hand the browser an HttpOnly, SameSite=Strict session cookie that this
/// middleware accepts instead, so the UI's media and download links keep working.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<SecurityOptions> options, IDataProtectionProvider protection)
{
    public const string HeaderName = "X-Api-Key";
    public const string UiCookieName = "vt_ui";
    private const string UiCookieValue = "videotracker-ui";

    private readonly byte[]? _keyHash = string.IsNullOrEmpty(options.Value.ApiKey) ? null : Hash(options.Value.ApiKey);
    private readonly IDataProtector _protector = protection.CreateProtector("VideoTracker.UiSession");

    public bool Enabled => _keyHash is not null;

    public async Task InvokeAsync(HttpContext context)
    {
        if (_keyHash is null || HasValidKey(context) || HasUiSession(context))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        await Results.Problem(
            $"This API needs a valid {HeaderName} header.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>Gives a browser that loads a page the UI session cookie, when a key is configured.</summary>
    public void IssueUiSession(HttpContext context)
    {
        if (_keyHash is null || HasUiSession(context))
        {
            return;
        }

        context.Response.Cookies.Append(UiCookieName, _protector.Protect(UiCookieValue), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            IsEssential = true,
        });
    }

    private bool HasValidKey(HttpContext context)
    {
        var presented = context.Request.Headers[HeaderName].ToString();
        return presented.Length > 0 && CryptographicOperations.FixedTimeEquals(Hash(presented), _keyHash);
    }

    private bool HasUiSession(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(UiCookieName, out var cookie) || string.IsNullOrEmpty(cookie))
        {
            return false;
        }

        try
        {
            return _protector.Unprotect(cookie) == UiCookieValue;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    // Hashing first gives equal-length inputs, so the comparison time says nothing about the key.
    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
