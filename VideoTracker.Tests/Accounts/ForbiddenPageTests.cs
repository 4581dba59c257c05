using VideoTracker.App.Accounts;

namespace VideoTracker.Tests.Accounts;

/// <summary>A page the user's role does not allow sends them to a page inside the app that says so, not to a bare JSON 403.</summary>
public sealed class ForbiddenPageTests(SharedVisibilityApp app) : IClassFixture<SharedVisibilityApp>
{
    [Theory]
    [InlineData(Caller.Viewer, "/admin/users")]
    [InlineData(Caller.MemberOwner, "/admin/audit")]
    public async Task AdminPage_ForAnotherRole_RedirectsToTheNotAllowedPage(Caller caller, string path)
    {
        using var client = app.ClientFor(caller);

        using var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal(AccountsServiceCollectionExtensions.ForbiddenPath, new Uri(client.BaseAddress!, page.Headers.Location!).AbsolutePath);

        using var shown = await client.GetAsync(page.Headers.Location);
        var html = await shown.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("data-testid=\"forbidden\"", html, StringComparison.Ordinal);
        Assert.Contains("does not allow this page", html, StringComparison.Ordinal);
        Assert.Contains("<nav", html, StringComparison.Ordinal);   // inside the app's layout, with its menu
    }
}
