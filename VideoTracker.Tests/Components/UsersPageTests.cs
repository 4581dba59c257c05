using Microsoft.AspNetCore.Http;
using VideoTracker.App.Accounts;
using VideoTracker.App.Components.Pages.Admin;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Tests.Components;

/// <summary>The admin's users page against the app's real account service.</summary>
public sealed class UsersPageTests : MudComponentTest, IClassFixture<VideoTrackerAppFactory>
{
    public UsersPageTests(VideoTrackerAppFactory factory)
    {
        // One scope of the app for the page, disposed with the test's container.
        Services.AddSingleton(_ => factory.Services.CreateScope());
        Services.AddSingleton(sp => sp.GetRequiredService<IServiceScope>().ServiceProvider.GetRequiredService<AccountService>());
    }

    [Fact]
    public async Task UsersPage_EachRowsButtons_AreNamedAfterTheirUser()
    {
        var created = await Services.GetRequiredService<AccountService>()
            .CreateAsync("bob", "bobs-password-1", AppRoles.Viewer, VideoTrackerAppFactory.AdminName, null, CancellationToken.None);
        Assert.IsType<AccountResult.Done>(created);

        var cut = Render<UsersPage>(p => p.AddCascadingValue<HttpContext>(new DefaultHttpContext()));

        var bob = cut.FindAll("[data-testid=user-row]").Single(r => r.QuerySelector("td")!.TextContent == "bob");
        Assert.Equal(
            ["Set the role of bob", "Reset the password of bob", "Disable bob"],
            bob.QuerySelectorAll("button").Select(b => b.GetAttribute("aria-label")));
        var sessions = bob.QuerySelector("[data-testid=user-sessions-link]")!;
        Assert.Equal(("Sessions of bob", "admin/users?sessions=bob#user-sessions"), (sessions.GetAttribute("aria-label"), sessions.GetAttribute("href")));
    }
}
