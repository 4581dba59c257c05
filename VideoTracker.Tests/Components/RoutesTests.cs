using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using VideoTracker.App.Accounts;
using VideoTracker.App.Components;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Tests.Components;

/// <summary>The router of a page's circuit: a page whose user turns anonymous (disabled or changed since it opened) gives way to a sign-in link.</summary>
public sealed class RoutesTests : MudComponentTest
{
    private readonly SwitchableState _state = new();

    public RoutesTests()
    {
        Services.AddSingleton<IJobService>(new FakeJobService().Then(FakeJobService.Job(JobStatus.Completed, 100)));
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new AuthOptions()));
        Services.AddSingleton<AuthenticationStateProvider>(_state);
        Services.AddCascadingAuthenticationState();
        Services.AddAuthorizationBuilder().AddRolePolicies();   // the app's own
        Services.AddTransient<IAuthorizationService, DefaultAuthorizationService>();   // over bUnit's placeholder
    }

    [Fact]
    public void OpenJobsPage_WhenItsUserTurnsAnonymous_SaysToSignInAgainAndLinksBackHere()
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));   // the layout reads it
        Services.GetRequiredService<NavigationManager>().NavigateTo("/jobs");
        var cut = Render<Routes>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=jobs-table]")));

        _state.SignOut();

        cut.WaitForAssertion(() => Assert.Contains(SessionValidator.EndedDetail, cut.Find("[data-testid=session-ended]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=jobs-table]"));
        Assert.Equal("./login?returnUrl=%2Fjobs", cut.Find("[data-testid=session-ended-sign-in]").GetAttribute("href"));
    }

    /// <summary>A member, until <see cref="SignOut"/> does what the revalidating provider does when the check fails.</summary>
    private sealed class SwitchableState : AuthenticationStateProvider
    {
        private AuthenticationState _current = new(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, SignedInUser.MemberName), new Claim(ClaimTypes.Role, AppRoles.Member)], "test")));

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(_current);

        public void SignOut()
        {
            _current = new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()));
            NotifyAuthenticationStateChanged(Task.FromResult(_current));
        }
    }
}
