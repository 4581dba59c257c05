using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using VideoTracker.App.Accounts;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Tests.Components;

/// <summary>
/// A user of the app's database as a page's circuit holds them: the principal their cookie was issued with, read once
/// when the page connects (the app's own provider only works inside a circuit). On first use the user is created with
/// <see cref="Password"/> unless they exist; a later change to the user leaves this principal as it was.
/// </summary>
internal sealed class SignedInUser(IServiceProvider services, string name, string role) : AuthenticationStateProvider
{
    public const string Password = "circuit-user-password";

    /// <summary>The member the form tests sign in as.</summary>
    public const string MemberName = "mona";

    private Task<AuthenticationState>? _state;

    public string Name => name;

    public static SignedInUser Member(IServiceProvider services) => new(services, MemberName, AppRoles.Member);

    public override Task<AuthenticationState> GetAuthenticationStateAsync() => _state ??= SignInAsync();

    /// <summary>The principal as it was when the page connected.</summary>
    public async Task<ClaimsPrincipal> PrincipalAsync() => (await GetAuthenticationStateAsync()).User;

    private async Task<AuthenticationState> SignInAsync()
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByNameAsync(name) is null)
        {
            var created = await scope.ServiceProvider.GetRequiredService<AccountService>()
                .CreateAsync(name, Password, role, VideoTrackerAppFactory.AdminName, null, CancellationToken.None);
            Assert.IsType<AccountResult.Done>(created);
        }

        // What the cookie sign-in issues: the user's id, name, roles and security stamp, and a session of their own.
        var user = await users.FindByNameAsync(name);
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>().CreateUserPrincipalAsync(user!);
        var session = await scope.ServiceProvider.GetRequiredService<SessionStore>().CreateAsync(user!.Id, null, null, CancellationToken.None);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(AuthNames.SessionClaim, session));
        return new AuthenticationState(principal);
    }
}
