using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using VideoTracker.App.Api;
using VideoTracker.Core.Data;

namespace VideoTracker.App.Accounts;

public static class AccountsServiceCollectionExtensions
{
    public const string CookieName = "vt_auth";
    public const string LoginPath = "/login";

    /// <summary>The page that says the user's role does not allow the page they asked for.</summary>
    public const string ForbiddenPath = "/forbidden";

    /// <summary>
    /// ASP.NET Core Identity on the app's database, the cookie for the UI, the API-key and proxy-header
    /// handlers behind one selecting scheme, the role policies and the login rate limit.
    /// </summary>
    public static IHostApplicationBuilder AddVideoTrackerAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();

        services.AddIdentityCore<AppUser>(options =>
            {
                options.Password.RequiredLength = 10;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<VideoTrackerDbContext>()
            .AddUserManager<AppUserManager>()
            .AddSignInManager<AppSignInManager>();

        services.AddCookieKeys();
        services.AddHttpContextAccessor();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<DecoyPassword>();
        services.AddSingleton<AccountSessions>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<JobAccess>();
        services.AddSingleton<SetupCode>();
        var trusted = new TrustedNetworks(auth.TrustedProxies.Where(TrustedNetworksValid));
        services.AddSingleton(trusted);
        services.AddForwardedClient(trusted);
        services.AddScoped<AccountService>();
        services.AddSingleton<SessionValidator>();
        services.AddScoped<VideoTracker.Core.Data.IStartupTask, FirstAdmin>();
        services.AddHostedService<AuthOffGuard>();

        var authentication = services.AddAuthentication(AuthNames.Selector);
        authentication.AddPolicyScheme(AuthNames.Selector, "API key, proxy header or cookie", options =>
            options.ForwardDefaultSelector = context => SelectScheme(context, auth));
        authentication.AddCookie(IdentityConstants.ApplicationScheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = LoginPath;
            options.LogoutPath = "/logout";
            options.AccessDeniedPath = ForbiddenPath;
            options.ReturnUrlParameter = "returnUrl";
            options.ExpireTimeSpan = SessionStore.Lifetime;
            options.SlidingExpiration = true;
            // A signed-out session, a disabled user, a reset password or a changed role ends the cookie on its next request.
            options.Events.OnValidatePrincipal = AppSignInManager.ValidateSessionAsync;
            options.Events.OnRedirectToLogin = context => IsApi(context.Request)
                ? ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, ApiKeyAuthenticationHandler.MissingDetail)
                : RedirectPage(context);
            options.Events.OnRedirectToAccessDenied = context => IsApi(context.Request)
                ? ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, ApiProblems.ForbiddenDetail)
                : RedirectPage(context);
        });
        // Identity's sign-out also clears these; nothing here signs in with them.
        authentication.AddCookie(IdentityConstants.ExternalScheme);
        authentication.AddCookie(IdentityConstants.TwoFactorRememberMeScheme);
        authentication.AddCookie(IdentityConstants.TwoFactorUserIdScheme);
        authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthNames.ApiKeyScheme, null);
        authentication.AddScheme<AuthenticationSchemeOptions, ProxyHeaderAuthenticationHandler>(AuthNames.ProxyScheme, null);
        authentication.AddScheme<AuthenticationSchemeOptions, OpenAuthenticationHandler>(AuthNames.OpenScheme, null);

        services.AddAuthorizationBuilder().AddRolePolicies();
        services.AddCascadingAuthenticationState();
        services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", o => o.AddDocumentTransformer<SecuritySchemesTransformer>());

        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsLoginAttempt(context)
                ? RateLimitPartition.GetFixedWindowLimiter(context.ClientAddress() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = auth.LoginAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("other"));
            options.OnRejected = (context, _) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return new ValueTask(ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many sign-in attempts from this address. Wait a minute and try again."));
            };
        });
        return builder;
    }

    /// <summary>The three role policies, each named like the least role that passes (the pages' tests use them too).</summary>
    public static AuthorizationBuilder AddRolePolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(AuthNames.ViewerPolicy, p => p.RequireRole(AppRoles.Viewer, AppRoles.Member, AppRoles.Admin))
        .AddPolicy(AuthNames.MemberPolicy, p => p.RequireRole(AppRoles.Member, AppRoles.Admin))
        .AddPolicy(AuthNames.AdminPolicy, p => p.RequireRole(AppRoles.Admin));

    /// <summary>Authentication, the cross-site cookie guard, the login rate limit and authorization, in that order.</summary>
    public static WebApplication UseVideoTrackerAccounts(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseCrossSiteCookieGuard();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    private static string SelectScheme(HttpContext context, AuthOptions auth)
    {
        if (!auth.Enabled)
        {
            return AuthNames.OpenScheme;
        }

        if (ApiKeyAuthenticationHandler.Presents(context.Request))
        {
            return AuthNames.ApiKeyScheme;
        }

        return ProxyHeaderAuthenticationHandler.TrustedUserName(context, auth, context.RequestServices.GetRequiredService<TrustedNetworks>()) is not null
            ? AuthNames.ProxyScheme
            : IdentityConstants.ApplicationScheme;
    }

    private static bool IsApi(HttpRequest request) =>
        ApiPath.Covers(request) || request.Path.StartsWithSegments("/ui") || request.Path.StartsWithSegments("/_blazor")
        || request.Path.StartsWithSegments("/openapi");

    /// <summary>A POST to an endpoint marked <see cref="SignInEndpointAttribute"/> (routing has run by now).</summary>
    private static bool IsLoginAttempt(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.GetEndpoint()?.Metadata.GetMetadata<SignInEndpointAttribute>() is not null;

    private static Task RedirectPage(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static bool TrustedNetworksValid(string entry) => TrustedNetworks.TryParse(entry, out _);
}
