using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using VideoTracker.App.Accounts;
using VideoTracker.App.Components.Layout;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Tests.Components;

/// <summary>The layout's top bar and side menu: each shows a user only the pages they can use.</summary>
public sealed class MainLayoutTests : MudComponentTest
{
    public MainLayoutTests()
    {
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new AuthOptions()));
        Services.AddCascadingAuthenticationState();
        Services.AddAuthorizationBuilder().AddRolePolicies();   // the app's own
        Services.AddTransient<IAuthorizationService, DefaultAuthorizationService>();   // over bUnit's placeholder
    }

    [Theory]
    [InlineData(AppRoles.Viewer, 0)]
    [InlineData(AppRoles.Member, 1)]
    [InlineData(AppRoles.Admin, 1)]
    public void NewJobLinks_AreShownOnlyToThoseWhoCanSubmit(string role, int expected)
    {
        Services.AddSingleton<AuthenticationStateProvider>(new FixedUser("sam", role));
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));   // the layout reads it

        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=nav-jobs]")));
        Assert.Equal(expected, cut.FindAll("[data-testid=nav-new-job]").Count);
        Assert.Equal(expected, cut.FindAll("[data-testid=appbar-new-job]").Count);
    }

    [Fact]
    public void Layout_FirstOffersASkipLinkThatFocusesTheMainLandmarkAroundThePage()
    {
        Services.AddSingleton<AuthenticationStateProvider>(new FixedUser("sam", AppRoles.Member));
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<h1>The page</h1>"))));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=nav-jobs]")));
        var skip = cut.Find("a[href], button");
        Assert.Equal("Skip to content", skip.TextContent.Trim());
        var main = Assert.Single(cut.FindAll("main"));
        Assert.Equal("The page", main.QuerySelector("h1")?.TextContent);
        Assert.EndsWith("#" + main.Id, skip.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal("-1", main.GetAttribute("tabindex"));

        skip.Click();

        JSInterop.VerifyFocusAsyncInvoke();
    }

    private sealed class FixedUser(string name, string role) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"))));
    }
}
