using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace VideoTracker.App.Accounts;

/// <summary>The form posts of the account pages that need no page of their own: sign out, end sessions, change or create a user.</summary>
public static class AccountPagesEndpoints
{
    public static IEndpointRouteBuilder MapAccountPages(this IEndpointRouteBuilder app)
    {
        // [FromForm] makes each of these require a valid antiforgery token.
        app.MapPost("/logout", Logout).WithName("UiLogout").ExcludeFromDescription();
        var ui = app.MapGroup("/ui/account").ExcludeFromDescription().RequireAuthorization(AuthNames.ViewerPolicy);
        ui.MapPost("/sessions/{id}/end", EndSession).WithName("UiEndSession");
        ui.MapPost("/sessions/end-others", EndOtherSessions).WithName("UiEndOtherSessions");
        ui.MapPost("/users/{username}", ChangeUser).WithName("UiChangeUser").RequireAuthorization(AuthNames.AdminPolicy);
        ui.MapPost("/users", CreateUser).WithName("UiCreateUser").RequireAuthorization(AuthNames.AdminPolicy);
        return app;
    }

    internal static async Task<RedirectHttpResult> Logout(
        HttpContext context, AccountService accounts, [FromForm(Name = "returnUrl")] string? returnUrl, CancellationToken cancellationToken)
    {
        await accounts.SignOutAsync(context.User, context.ClientAddress(), cancellationToken).ConfigureAwait(false);
        return TypedResults.LocalRedirect("~" + AccountsServiceCollectionExtensions.LoginPath);
    }

    internal static async Task<RedirectHttpResult> EndSession(
        string id, [FromForm(Name = "confirm")] string? confirm, ClaimsPrincipal user, AccountSessions sessions, HttpContext context, CancellationToken cancellationToken)
    {
        switch (Guid.TryParse(id, out var sessionId) ? await sessions.EndAsync(user, sessionId, context.ClientAddress(), cancellationToken).ConfigureAwait(false) : SessionEnd.NotFound)
        {
            case SessionEnd.NotFound:
                return TypedResults.LocalRedirect("~/account?message=session-not-found");
            case SessionEnd.ThisOne:
                await context.SignOutAsync(IdentityConstants.ApplicationScheme).ConfigureAwait(false);
                return TypedResults.LocalRedirect("~" + AccountsServiceCollectionExtensions.LoginPath);
            default:
                return TypedResults.LocalRedirect("~/account?message=session-ended");
        }
    }

    internal static async Task<RedirectHttpResult> EndOtherSessions(
        [FromForm(Name = "confirm")] string? confirm, ClaimsPrincipal user, AccountSessions sessions, HttpContext context, CancellationToken cancellationToken)
    {
        await sessions.EndOthersAsync(user, context.ClientAddress(), cancellationToken).ConfigureAwait(false);
        return TypedResults.LocalRedirect("~/account?message=other-sessions-ended");
    }

    internal static async Task<RedirectHttpResult> ChangeUser(
        string username, [FromForm(Name = "role")] string? role, [FromForm(Name = "disabled")] string? disabled, [FromForm(Name = "password")] string? password,
        ClaimsPrincipal user, AccountService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        bool? disable = disabled switch { "true" => true, "false" => false, _ => null };
        var result = await accounts.ChangeAsync(
            username, string.IsNullOrEmpty(role) ? null : role, disable, string.IsNullOrEmpty(password) ? null : password,
            user.UserName(), context.ClientAddress(), cancellationToken).ConfigureAwait(false);
        return Back(result, $"Changed {username}.");
    }

    internal static async Task<RedirectHttpResult> CreateUser(
        [FromForm(Name = "username")] string? username, [FromForm(Name = "password")] string? password, [FromForm(Name = "role")] string? role,
        ClaimsPrincipal user, AccountService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await accounts.CreateAsync(username, password, role, user.UserName(), context.ClientAddress(), cancellationToken).ConfigureAwait(false);
        return Back(result, $"Created {username}.");
    }

    /// <summary>Back to the Users page with what happened; a refusal is marked, so the page shows it as an error.</summary>
    private static RedirectHttpResult Back(AccountResult result, string done) => TypedResults.LocalRedirect(
        "~/admin/users?message=" + Uri.EscapeDataString(result switch
        {
            AccountResult.Done => done,
            AccountResult.Invalid i => i.Detail,
            AccountResult.Conflict c => c.Detail,
            AccountResult.NotFound n => n.Detail,
            _ => "Not changed.",
        }) + (result is AccountResult.Done ? string.Empty : "&failed=true"));
}
