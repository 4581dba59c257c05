using Microsoft.Playwright;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>The app on a phone (390×844, as an iPhone 12–14) in Debian's Chromium: nothing scrolls sideways, the top bar fits.</summary>
[Collection(SerialCollection.Name)]
public sealed class PhoneLayoutTests(TwoTracksKestrelAppFactory app, ChromiumFixture chromium)
    : IClassFixture<TwoTracksKestrelAppFactory>, IClassFixture<ChromiumFixture>
{
    /// <summary>The player's video is on screen and wholly below the top bar, which stays over the page as it scrolls.</summary>
    private const string VideoInView =
        "() => { const r = document.querySelector('.vt-player video').getBoundingClientRect(); const bar = document.querySelector('.mud-appbar').getBoundingClientRect(); return r.top >= bar.bottom - 1 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth; }";

    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private static readonly ViewportSize TabletLandscape = new() { Width = 1024, Height = 768 };

    /// <summary>
    /// The document is no wider than the given screen width. A mobile viewport widens itself to fit a wider page (and the page
    /// is then shown zoomed out), so innerWidth is no measure there.
    /// </summary>
    private const string FitsWidth = "width => document.documentElement.scrollWidth <= width && window.innerWidth <= width";

    private const string DocumentFits = "() => document.documentElement.scrollWidth <= window.innerWidth";

    [BrowserFact]
    public async Task UsersPage_OnAPhone_IsNoWiderThanTheScreen()
    {
        await using var context = await NewPhoneAsync();
        var page = await OpenAsAdminAsync(context, "/admin/users");
        await Assertions.Expect(page.Locator("[data-testid=user-row]").First).ToBeVisibleAsync();

        Assert.True(await page.EvaluateAsync<bool>(DocumentFits), await WidthsAsync(page));
        await Assertions.Expect(page.Locator("[data-testid=user-create]")).ToBeInViewportAsync();
        await Assertions.Expect(page.Locator("[data-testid=user-create-role]")).ToBeInViewportAsync();
    }

    [BrowserFact]
    public async Task AuditPage_OnAPhone_IsNoWiderThanTheScreenWithItsFilterInView()
    {
        await using var context = await NewPhoneAsync();
        var page = await OpenAsAdminAsync(context, "/admin/audit?user=admin&action=sign_in");
        await Assertions.Expect(page.Locator("[data-testid=audit-list] tbody tr").First).ToBeVisibleAsync();

        Assert.True(await page.EvaluateAsync<bool>(DocumentFits), await WidthsAsync(page));
        foreach (var testId in new[] { "audit-user", "audit-action", "audit-apply" })
        {
            await Assertions.Expect(page.Locator($"[data-testid={testId}]")).ToBeInViewportAsync();
        }
    }

    [BrowserFact]
    public async Task JobPage_OnAPhone_IsNoWiderThanTheScreen()
    {
        await using var context = await NewPhoneAsync();
        var page = await OpenTrackedJobAsync(context, "phone-width.avi");

        Assert.True(await page.EvaluateAsync<bool>(DocumentFits), await WidthsAsync(page));
    }

    [BrowserFact]
    public async Task TopBar_OnAPhone_ShowsTheAccountAndSignOutAsOneLineIconsNamedInFull()
    {
        await using var context = await NewPhoneAsync();
        var page = await OpenAsAdminAsync(context, "/jobs");
        await Assertions.Expect(page.Locator("[data-testid=jobs-table]")).ToBeVisibleAsync();

        foreach (var testId in new[] { "appbar-account", "logout" })
        {
            var button = page.Locator($"[data-testid={testId}]");
            await Assertions.Expect(button).ToBeVisibleAsync();
            var height = await button.EvaluateAsync<double>("e => e.getBoundingClientRect().height");
            Assert.True(height <= 48, $"{testId} should be one line high, is {height} px");
        }

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Account: admin · admin" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=logout]")).ToHaveAttributeAsync("title", "Sign out");
        Assert.True(await page.EvaluateAsync<bool>(DocumentFits), await WidthsAsync(page));
    }

    [BrowserFact]
    public async Task AccountPage_OnAPhone_StacksEachKeyWithItsColumnNames()
    {
        await using var context = await NewPhoneAsync();
        var page = await OpenAsAdminAsync(context, "/account");
        await page.Locator("[data-testid=key-panel][data-interactive=true]").WaitForAsync(new() { Timeout = 30_000 });   // the keys run over a circuit of their own
        await page.Locator("[data-testid=key-name]").FillAsync("phone key");
        await page.Locator("[data-testid=key-create]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy key", Exact = true })).ToBeVisibleAsync();

        var cells = page.Locator("[data-testid=key-list] tbody tr").First.Locator("td");
        await Assertions.Expect(cells.First).ToHaveTextAsync("phone key");
        var labels = await cells.EvaluateAllAsync<string[]>("cells => cells.slice(0, 4).map(c => getComputedStyle(c, '::before').content)");
        Assert.Equal(["\"Name: \"", "\"Prefix: \"", "\"Created: \"", "\"Last used: \""], labels);
        Assert.True(await page.EvaluateAsync<bool>(DocumentFits), await WidthsAsync(page));

        // Revoking asks first, in a dialog that fits the phone.
        await page.Locator("[data-testid=key-revoke]").First.ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("“phone key”");
        Assert.True(await dialog.EvaluateAsync<bool>("d => { const r = d.getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth; }"));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=key-revoke]").First).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task NewJobPage_OnAPhoneWithALongFileName_IsNoWiderThanTheScreenWithItsRemoveButtonInView()
    {
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 5, name: "holiday-2026-07-15-the-whole-family-at-the-beach.avi");
        await using var context = await NewTouchDeviceAsync(Phone);
        await LoginPageObject.SignInAsAdminAsync(await context.NewPageAsync(), app.BaseUrl);
        var form = new NewJobPageObject(context.Pages[0], app.BaseUrl);
        await form.OpenAsync();
        await form.PickToolAsync(TwoTracksPlugin.PluginId, TwoTracksPlugin.ToolId);
        await form.ChooseFileAsync(clip);

        var page = form.Page;
        Assert.True(await page.EvaluateAsync<bool>(FitsWidth, Phone.Width), await WidthsAsync(page));
        var remove = await page.Locator("[data-testid=remove-file]").EvaluateAsync<double>("b => b.getBoundingClientRect().right");
        Assert.True(remove <= Phone.Width, $"the file's remove button ends at {remove} px, past the {Phone.Width} px screen");
    }

    [BrowserFact]
    public async Task JobsPage_OnALandscapeTablet_ShowsEveryRowsActionsWithoutScrollingSideways()
    {
        using var client = app.CreateClient();
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 10, width: 320, height: 240, fps: 10, name: "a-rather-long-name-for-a-tablet.avi");
        await client.SubmitCompletedAsync(clip, TwoTracksPlugin.PluginId, TwoTracksPlugin.ToolId);

        // A 1024 × 768 tablet held sideways: the menu stays open beside the page, as on a small laptop.
        await using var context = await NewTouchDeviceAsync(TabletLandscape);
        var page = await OpenAsAdminAsync(context, "/jobs");
        var actions = page.Locator("[data-testid=jobs-table] tbody tr").Locator("[data-testid=job-open], [data-testid=job-delete]");
        await Assertions.Expect(actions.First).ToBeVisibleAsync(new() { Timeout = 30_000 });

        Assert.True(await page.EvaluateAsync<bool>(FitsWidth, TabletLandscape.Width), await WidthsAsync(page));
        var rights = await actions.EvaluateAllAsync<double[]>("buttons => buttons.map(b => b.getBoundingClientRect().right)");
        Assert.NotEmpty(rights);
        Assert.All(rights, right => Assert.True(right <= TabletLandscape.Width, $"an Open or Delete button ends at {right} px, past the {TabletLandscape.Width} px screen"));
    }

    [BrowserFact]
    public async Task TracksTable_OnAPhone_ClickingATrackBringsThePlayerIntoView()
    {
        await using var context = await NewPhoneAsync();
        var page = await OpenTrackedJobAsync(context, "phone-track.avi");

        // The tracks table is below the player: with the row on screen, the player is not.
        var row = TrackRows(page).Filter(new() { Has = page.Locator("[data-testid=track-id]", new() { HasTextString = "2" }) });
        await row.ScrollIntoViewIfNeededAsync();
        await page.EvaluateAsync("() => window.scrollBy(0, 200)");
        Assert.False(await page.EvaluateAsync<bool>(VideoInView), "the player should be off-screen before the click");

        await row.ClickAsync();

        await page.WaitForFunctionAsync(VideoInView, null, new() { Timeout = 10_000 });
    }

    /// <summary>Signs in as the admin and opens a finished two-tracks job, its video loaded and its tracks listed.</summary>
    private async Task<IPage> OpenTrackedJobAsync(IBrowserContext context, string name)
    {
        using var client = app.CreateClient();
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 40, width: 320, height: 240, fps: 10, name: name);
        var jobId = await client.SubmitCompletedAsync(clip, TwoTracksPlugin.PluginId, TwoTracksPlugin.ToolId);

        var page = await OpenAsAdminAsync(context, $"/jobs/{jobId}");
        await new JobPageObject(page).WaitUntilInteractiveAsync();
        await page.WaitForFunctionAsync("() => (document.querySelector('.vt-player video')?.readyState ?? 0) >= 2", null, new() { Timeout = 60_000 });
        await Assertions.Expect(TrackRows(page)).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        return page;
    }

    /// <summary>A new page of <paramref name="context"/>, signed in as the admin, at <paramref name="path"/>.</summary>
    private async Task<IPage> OpenAsAdminAsync(IBrowserContext context, string path)
    {
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);
        await page.GotoAsync($"{app.BaseUrl}{path}");
        return page;
    }

    private static ILocator TrackRows(IPage page) => page.Locator("[data-testid=tracks-table] tbody tr");

    /// <summary>A touch device of this size, as Chromium's device emulation makes it (a mobile viewport, three device pixels to a CSS pixel).</summary>
    private Task<IBrowserContext> NewTouchDeviceAsync(ViewportSize size) =>
        chromium.RequireBrowser().NewContextAsync(new() { ViewportSize = size, DeviceScaleFactor = 3, IsMobile = true, HasTouch = true });

    private Task<IBrowserContext> NewPhoneAsync() =>
        chromium.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 }, DeviceScaleFactor = 1 });

    /// <summary>For the failure message: the document's width and the widest elements.</summary>
    private static Task<string> WidthsAsync(IPage page) => page.EvaluateAsync<string>(
        """
        () => `document ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window; widest: ` +
            [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(-5).map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)})`).join(', ')
        """);
}
