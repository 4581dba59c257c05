using System.Net.Http.Json;
using Microsoft.Playwright;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>Signing in, as people do it, in Debian's Chromium: the sign-in page, a member's job, a viewer's read-only view, one's sessions.</summary>
[Collection(SerialCollection.Name)]
public sealed class AccountsBrowserTests(PacedKestrelAppFactory app, ChromiumFixture chromium)
    : IClassFixture<PacedKestrelAppFactory>, IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const string Password = "browser-password-1";
    private readonly List<IBrowserContext> _contexts = [];

    public async Task InitializeAsync()
    {
        using var admin = app.CreateClient();
        foreach (var (name, role) in new[] { ("mia", "member"), ("vic", "viewer"), ("sia", "member"), ("tom", "member") })
        {
            using var response = await admin.PostAsJsonAsync("/v1/users", new { username = name, password = Password, role });
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"create {name}: {(int)response.StatusCode}");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }

    /// <summary>The browser, opening <paramref name="path"/>, lands on the sign-in page: its cookie is no good.</summary>
    private async Task AssertSentToSignInAsync(IPage page, string path)
    {
        await page.GotoAsync(app.BaseUrl + path);
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
    }

    /// <summary>The user signs in in two browsers (two contexts, each with its own cookie): the first is returned first.</summary>
    private async Task<(IPage Page, IPage Other)> SignInTwiceAsync(string name)
    {
        var pages = new List<IPage>();
        for (var i = 0; i < 2; i++)
        {
            var context = await chromium.RequireBrowser().NewContextAsync();
            _contexts.Add(context);
            var page = await context.NewPageAsync();
            await new LoginPageObject(page, app.BaseUrl).SignInAsync(name, Password);
            pages.Add(page);
        }

        return (pages[0], pages[1]);
    }

    [BrowserFact]
    public async Task AnonymousVisitor_OpeningAJobsPage_LandsOnTheSignInPageWithReturnUrl()
    {
        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{app.BaseUrl}/jobs");

        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
        Assert.Contains("returnUrl=%2Fjobs", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=login-submit]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=upload-drop-zone]")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task Member_SignsInUploadsWatchesTheBarAndSignsOut()
    {
        await using var context = await chromium.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();
        var login = new LoginPageObject(page, app.BaseUrl);
        await login.SubmitAsync("mia", "not-the-password");
        await Assertions.Expect(login.Error).ToContainTextAsync("Wrong username or password");

        await login.SignInAsync("mia", Password);
        var form = new NewJobPageObject(page, app.BaseUrl);
        await form.OpenAsync();
        await form.ChooseFileAsync(TestClips.MovingSquare(app.Clips.Path, frames: 200, width: 160, height: 120, fps: 20, name: "mia.avi"));
        await form.PickToolAsync(OpenCvClassicPlugin.PluginId, MotionDetectionTool.ToolId);
        var jobId = await form.SubmitAsync();

        var job = new JobPageObject(page);
        await job.WaitUntilInteractiveAsync();
        await Assertions.Expect(job.ProgressBar).ToBeVisibleAsync();
        await Assertions.Expect(job.Status).ToContainTextAsync("complete", new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("[data-testid=job-owner]")).ToContainTextAsync("mia");

        using var admin = app.CreateClient();
        var detail = await admin.GetJsonAsync($"/v1/jobs/{jobId}");
        Assert.Equal("mia", detail.GetProperty("owner").GetString());

        await page.Locator("[data-testid=logout]").ClickAsync();
        await page.WaitForURLAsync("**/login**");
        await AssertSentToSignInAsync(page, $"/jobs/{jobId}");
    }

    [BrowserFact]
    public async Task AccountPage_ListsTheUsersSessions_AndSigningOutTheOthersOrOneEndsThatBrowser()
    {
        var (page, other) = await SignInTwiceAsync("sia");

        await page.GotoAsync($"{app.BaseUrl}/account");
        var rows = page.Locator("[data-testid=session-row]");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Filter(new() { Has = page.Locator("[data-testid=session-current]") })).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(page.Locator("[data-testid=session-end]")).ToHaveCountAsync(1);
        await page.Locator("[data-testid=sessions-end-others]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=account-message]")).ToHaveTextAsync("Your other sessions are signed out.");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=session-current]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=sessions-end-others]")).ToBeDisabledAsync();
        await AssertSentToSignInAsync(other, "/jobs");
        await page.GotoAsync($"{app.BaseUrl}/jobs");
        Assert.Equal("/jobs", new Uri(page.Url).AbsolutePath);

        // Signed in again there, the other browser's session has a row of its own, and its own Sign out.
        await new LoginPageObject(other, app.BaseUrl).SignInAsync("sia", Password);
        await page.GotoAsync($"{app.BaseUrl}/account");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Sign out the session signed in at ") }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=account-message]")).ToHaveTextAsync("The session is signed out.");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await AssertSentToSignInAsync(other, "/jobs");
    }

    [BrowserFact]
    public async Task AccountPage_ChangingOnesPassword_KeepsThisSession_AndEndsTheOthers()
    {
        var (page, other) = await SignInTwiceAsync("tom");
        await page.GotoAsync($"{app.BaseUrl}/account");
        await Assertions.Expect(page.Locator("[data-testid=session-row]")).ToHaveCountAsync(2);

        await page.Locator("[data-testid=password-current]").FillAsync(Password);
        await page.Locator("[data-testid=password-next]").FillAsync("browser-password-2");
        await page.Locator("[data-testid=password-submit]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=account-message]")).ToHaveTextAsync("Your password is changed.");
        await Assertions.Expect(page.Locator("[data-testid=session-row]")).ToHaveCountAsync(1);
        await page.GotoAsync($"{app.BaseUrl}/account");
        await Assertions.Expect(page.Locator("[data-testid=session-current]")).ToHaveCountAsync(1);
        await AssertSentToSignInAsync(other, "/jobs");
        using var admin = app.CreateClient();
        var entry = (await admin.GetJsonAsync("/v1/audit?user=tom&action=password_changed")).GetProperty("entries").EnumerateArray().Single();
        Assert.Equal("other sessions ended: 1", entry.GetProperty("detail").GetString());
    }

    [BrowserFact]
    public async Task Viewer_SeesNoUploadControlAndNoCancelOrDelete()
    {
        using var admin = app.CreateClient();
        var jobId = await admin.SubmitAsync(TestClips.MovingSquare(app.Clips.Path, frames: 5, name: "for-viewer.avi"));
        await admin.WaitForTerminalAsync(jobId);

        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await context.NewPageAsync();
        await new LoginPageObject(page, app.BaseUrl).SignInAsync("vic", Password);

        await page.GotoAsync($"{app.BaseUrl}/");
        await Assertions.Expect(page.Locator("[data-testid=read-only]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=upload-drop-zone]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=submit-job]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=appbar-new-job]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=nav-new-job]")).ToHaveCountAsync(0);

        await page.GotoAsync($"{app.BaseUrl}/jobs");
        await Assertions.Expect(page.Locator("[data-testid=jobs-table]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=jobs-new-job]")).ToHaveCountAsync(0);

        await page.GotoAsync($"{app.BaseUrl}/jobs/{jobId}");
        var job = new JobPageObject(page);
        await job.WaitUntilInteractiveAsync();
        await Assertions.Expect(job.Status).ToContainTextAsync("complete");
        await Assertions.Expect(page.Locator("[data-testid=job-delete]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=job-cancel]")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task Admin_CreatesAUserOnTheUsersPage_AndAsTheLastAdminCannotBecomeAViewer()
    {
        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await context.NewPageAsync();
        await LoginPageObject.SignInAsAdminAsync(page, app.BaseUrl);
        await page.GotoAsync($"{app.BaseUrl}/admin/users");
        var message = page.Locator("[data-testid=users-message]");

        await page.Locator("[data-testid=user-create-name]").FillAsync("uma");
        await page.Locator("[data-testid=user-create-password]").FillAsync(Password);
        await page.Locator("[data-testid=user-create-role]").SelectOptionAsync("member");
        await page.Locator("[data-testid=user-create]").ClickAsync();
        await Assertions.Expect(message).ToHaveTextAsync("Created uma.");
        await Assertions.Expect(message).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"mud-alert-\w+-success"));

        var own = page.Locator("[data-testid=user-row]", new() { Has = page.Locator("td:first-child", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^admin$") }) });
        await own.Locator("select[name=role]").SelectOptionAsync("viewer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set the role of admin", Exact = true }).ClickAsync();
        await Assertions.Expect(message).ToHaveTextAsync("'admin' is the last enabled admin: make another user an admin first.");
        await Assertions.Expect(message).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"mud-alert-\w+-error"));
        await Assertions.Expect(own.Locator("td").Nth(1)).ToHaveTextAsync("admin");
    }
}
