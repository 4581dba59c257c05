using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using VideoTracker.App.Security;

namespace VideoTracker.App.Accounts;

/// <summary>
/// <c>X-Api-Key: …</c> or <c>Authorization: Bearer …</c>: a user's key acts with the user's role; the
/// <c>Security:ApiKey</c> service key acts as admin. A revoked key or a disabled user's key fails at once.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<SecurityOptions> security,
    ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string MissingDetail = "Sign in, or send an API key in X-Api-Key or Authorization: Bearer.";
    private const string InvalidDetail = "The key sent in X-Api-Key or Authorization: Bearer is not valid: it is unknown, revoked, or its user is disabled.";

    /// <summary>Whether the request carries a key at all; the selector sends it here when it does.</summary>
    public static bool Presents(HttpRequest request) => PresentedKey(request) is not null;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        if (IsServiceKey(presented))
        {
            var identity = new ClaimsIdentity(
                [new Claim(AuthNames.ServiceClaim, "true"), new Claim(ClaimTypes.Role, AppRoles.Admin)], Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
            return Success(new ClaimsPrincipal(identity));
        }

        // Only a user's key needs the user services; resolving them for every request (a UserManager rents a
        // database context) cost the service key's status polls about a fifth of their throughput.
        var users = Context.RequestServices.GetRequiredService<UserManager<AppUser>>();
        var principals = Context.RequestServices.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        var owner = await keys.AuthenticateAsync(presented, Context.RequestAborted).ConfigureAwait(false);
        if (owner is null || await users.FindByIdAsync(owner.UserId).ConfigureAwait(false) is not { Disabled: false } user)
        {
            return AuthenticateResult.Fail(InvalidDetail);
        }

        var principal = await principals.CreateAsync(user).ConfigureAwait(false);
        return Success(new ClaimsPrincipal(new ClaimsIdentity(principal.Claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, Presents(Request) ? InvalidDetail : MissingDetail);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, ApiProblems.ForbiddenDetail);

    private AuthenticateResult Success(ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));

    private bool IsServiceKey(string presented) =>
        security.Value.ApiKey is { Length: > 0 } serviceKey
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(serviceKey)));

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers[AuthNames.ApiKeyHeader].ToString() is { Length: > 0 } header)
        {
            return header.Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7
            ? authorization[7..].Trim()
            : null;
    }
}
