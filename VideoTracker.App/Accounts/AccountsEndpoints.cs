using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using VideoTracker.App.Api;
using VideoTracker.App.Components;

namespace VideoTracker.App.Accounts;

/// <summary><c>/v1/auth</c>, <c>/v1/keys</c>, <c>/v1/users</c> and <c>/v1/audit</c>.</summary>
public static class AccountsEndpoints
{
    public const int MaxAuditPage = 500;

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/v1/auth").WithTags("Accounts");
        auth.MapPost("/login", Login).WithName("Login").AllowAnonymous().DisableAntiforgery().WithMetadata(new SignInEndpointAttribute())
            .WithSummary("Sign in with a username and password; answers with the auth cookie; 401 for a wrong password or a locked account")
            .ProducesErrors(StatusCodes.Status401Unauthorized);
        auth.MapPost("/logout", Logout).WithName("Logout").DisableAntiforgery().WithSummary("Sign out (ends the cookie session)");
        auth.MapGet("/me", Me).WithName("Me").WithSummary("The signed-in user and their role");
        auth.MapGet("/sessions", ListSessions).WithName("ListSessions").WithSummary("The caller's own cookie sessions, this one marked");
        auth.MapDelete("/sessions/{id}", EndSession).WithName("EndSession").WithSummary("Sign out one of the caller's own sessions")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        auth.MapPost("/sessions/end-others", EndOtherSessions).WithName("EndOtherSessions").DisableAntiforgery()
            .WithSummary("Sign out every session of the caller but this one; 400 for the service key, which has none")
            .ProducesErrors(StatusCodes.Status400BadRequest);

        var keys = app.MapGroup("/v1/keys").WithTags("Accounts");
        keys.MapPost("/", CreateKey).WithName("CreateApiKey").DisableAntiforgery().WithSummary("Create a named API key; the key is shown only in this answer");
        keys.MapGet("/", ListKeys).WithName("ListApiKeys").WithSummary("The caller's keys, without secrets");
        keys.MapDelete("/{id}", RevokeKey).WithName("RevokeApiKey").WithSummary("Revoke a key (its owner or an admin)")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        var users = app.MapGroup("/v1/users").WithTags("Accounts").RequireAuthorization(AuthNames.AdminPolicy);
        users.MapGet("/", ListUsers).WithName("ListUsers").WithSummary("The users (admin)");
        users.MapPost("/", CreateUser).WithName("CreateUser").DisableAntiforgery().WithSummary("Create a user with a role (admin); 409 when the username is taken")
            .ProducesErrors(StatusCodes.Status409Conflict);
        users.MapPatch("/{username}", ChangeUser).WithName("ChangeUser").DisableAntiforgery()
            .WithSummary("Change a user's role, disable them or reset their password (admin); 409 when that would leave no enabled admin")
            .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        users.MapGet("/{username}/sessions", ListUserSessions).WithName("ListUserSessions").WithSummary("A user's cookie sessions, without their secrets (admin)")
            .ProducesErrors(StatusCodes.Status404NotFound);
        users.MapDelete("/{username}/sessions/{id}", EndUserSession).WithName("EndUserSession").WithSummary("Sign out one of a user's sessions (admin)")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        app.MapGroup("/v1/audit").WithTags("Accounts").RequireAuthorization(AuthNames.AdminPolicy)
            .MapGet("/", ListAudit).WithName("ListAudit").WithSummary("The audit trail, newest first, optionally of one user and/or one action (admin)")
            .ProducesErrors(StatusCodes.Status400BadRequest);
        return app;
    }

    internal static async Task<Results<Ok<MeDto>, ProblemHttpResult>> Login(
        LoginRequest? request, AccountService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await accounts.SignInAsync(request?.Username, request?.Password, context.ClientAddress(), cancellationToken).ConfigureAwait(false);
        return result switch
        {
            AccountResult.Done done => TypedResults.Ok(new MeDto(done.User.Username, done.User.Role)),
            AccountResult.Invalid invalid => ApiErrors.Unauthorized(invalid.Detail),
            _ => ApiErrors.Unauthorized("Wrong username or password."),
        };
    }

    internal static async Task<NoContent> Logout(AccountService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        await accounts.SignOutAsync(context.User, context.ClientAddress(), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    internal static MeDto Me(ClaimsPrincipal user) => new(user.UserName(), user.Role());

    internal static async Task<SessionListDto> ListSessions(ClaimsPrincipal user, AccountSessions sessions, CancellationToken cancellationToken) =>
        new([.. (await sessions.ListAsync(user, cancellationToken).ConfigureAwait(false)).Select(SessionDto.From)]);

    internal static Task<Results<NoContent, ProblemHttpResult>> EndSession(
        string id, ClaimsPrincipal user, AccountSessions sessions, HttpContext context, CancellationToken cancellationToken) =>
        EndSessionAsync(id, context, sessionId => sessions.EndAsync(user, sessionId, context.ClientAddress(), cancellationToken));

    internal static async Task<Results<Ok<SessionListDto>, ProblemHttpResult>> ListUserSessions(
        string username, ClaimsPrincipal user, AccountSessions sessions, HttpContext context, CancellationToken cancellationToken) =>
        await sessions.ListOfUserAsync(user, username, context.ClientAddress(), cancellationToken).ConfigureAwait(false) is { } listed
            ? TypedResults.Ok(new SessionListDto([.. listed.Select(SessionDto.From)]))
            : UnknownUser(username);

    internal static Task<Results<NoContent, ProblemHttpResult>> EndUserSession(
        string username, string id, ClaimsPrincipal user, AccountSessions sessions, HttpContext context, CancellationToken cancellationToken) =>
        EndSessionAsync(id, context, sessionId => sessions.EndOfUserAsync(user, username, sessionId, context.ClientAddress(), cancellationToken), username);

    /// <summary>
    /// Ends the session that <paramref name="id"/> names, by <paramref name="end"/>: 400 for a malformed id, 404 for no
    /// such user (<paramref name="username"/>) or session, else 204; ending the session the caller calls from also deletes their cookie.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> EndSessionAsync(
        string id, HttpContext context, Func<Guid, Task<SessionEnd>> end, string? username = null)
    {
        if (!Guid.TryParse(id, out var sessionId))
        {
            return ApiErrors.BadRequest($"'{id}' is not a valid session id.");
        }

        switch (await end(sessionId).ConfigureAwait(false))
        {
            case SessionEnd.NotFound:
                return ApiErrors.NotFound("Session not found.");
            case SessionEnd.UnknownUser:
                return UnknownUser(username);
            case SessionEnd.ThisOne:
                await context.SignOutAsync(IdentityConstants.ApplicationScheme).ConfigureAwait(false);
                break;
        }

        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<EndedSessionsDto>, ProblemHttpResult>> EndOtherSessions(
        ClaimsPrincipal user, AccountSessions sessions, HttpContext context, CancellationToken cancellationToken) =>
        await sessions.EndOthersAsync(user, context.ClientAddress(), cancellationToken).ConfigureAwait(false) is { } ended
            ? TypedResults.Ok(new EndedSessionsDto(ended))
            : ApiErrors.BadRequest("Only a user has sessions; the service key has none.");

    internal static async Task<Results<Created<CreatedKeyDto>, ProblemHttpResult>> CreateKey(
        CreateKeyRequest? request, ClaimsPrincipal user, ApiKeyService keys, HttpContext context, CancellationToken cancellationToken) =>
        await keys.CreateAsync(user, request?.Name, context.ClientAddress(), cancellationToken).ConfigureAwait(false) switch
        {
            KeyCreation.Created { Key: var created } => TypedResults.Created(JobLinks.FromHost(context.Request, $"v1/keys/{created.Info.Id}"), new CreatedKeyDto(created.Info.Id, created.Info.Name, created.Key)),
            KeyCreation.Refused refused => ApiErrors.BadRequest(refused.Detail),
            _ => throw new InvalidOperationException("Unknown key creation result."),
        };

    internal static async Task<KeyListDto> ListKeys(ClaimsPrincipal user, ApiKeyService keys, CancellationToken cancellationToken) =>
        new([.. (await keys.ListAsync(user, cancellationToken).ConfigureAwait(false)).Select(KeyDto.From)]);

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(
        string id, ClaimsPrincipal user, ApiKeyService keys, HttpContext context, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var keyId))
        {
            return ApiErrors.BadRequest($"'{id}' is not a valid key id.");
        }

        return await keys.RevokeAsync(user, keyId, context.ClientAddress(), cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : ApiErrors.NotFound("Key not found.");
    }

    internal static async Task<UserListDto> ListUsers(AccountService accounts, CancellationToken cancellationToken) =>
        new([.. (await accounts.ListAsync(cancellationToken).ConfigureAwait(false)).Select(UserDto.From)]);

    internal static async Task<Results<Created<UserDto>, ProblemHttpResult>> CreateUser(
        CreateUserRequest? request, ClaimsPrincipal user, AccountService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await accounts.CreateAsync(request?.Username, request?.Password, request?.Role, user.UserName(), context.ClientAddress(), cancellationToken).ConfigureAwait(false);
        return result switch
        {
            AccountResult.Done done => TypedResults.Created(JobLinks.FromHost(context.Request, $"v1/users/{Uri.EscapeDataString(done.User.Username)}"), UserDto.From(done.User)),
            _ => Problem(result),
        };
    }

    internal static async Task<Results<Ok<UserDto>, ProblemHttpResult>> ChangeUser(
        string username, ChangeUserRequest? request, ClaimsPrincipal user, AccountService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await accounts.ChangeAsync(username, request?.Role, request?.Disabled, request?.Password, user.UserName(), context.ClientAddress(), cancellationToken).ConfigureAwait(false);
        return result switch
        {
            AccountResult.Done done => TypedResults.Ok(UserDto.From(done.User)),
            _ => Problem(result),
        };
    }

    internal static async Task<Results<Ok<AuditListDto>, ProblemHttpResult>> ListAudit(
        AuditLog audit, CancellationToken cancellationToken, [Range(1, MaxAuditPage)] int? limit = null, [Range(0, int.MaxValue)] int? offset = null,
        string? user = null, string? action = null)
    {
        if (AuditFilter.Parse(user, action, out var error) is not { } filter)
        {
            return ApiErrors.BadRequest(error!);
        }

        var (entries, count) = await audit.ListAsync(filter, limit ?? 50, offset ?? 0, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new AuditListDto([.. entries.Select(AuditEntryDto.From)], count));
    }

    private static ProblemHttpResult UnknownUser(string? username) => ApiErrors.NotFound($"No user named '{username}'.");

    private static ProblemHttpResult Problem(AccountResult result) => result switch
    {
        AccountResult.Conflict c => TypedResults.Problem(c.Detail, statusCode: StatusCodes.Status409Conflict),
        AccountResult.NotFound n => ApiErrors.NotFound(n.Detail),
        AccountResult.Invalid i => ApiErrors.BadRequest(i.Detail),
        _ => ApiErrors.BadRequest("The request could not be completed."),
    };
}
