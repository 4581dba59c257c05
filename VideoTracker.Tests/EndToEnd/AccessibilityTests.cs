using Microsoft.Playwright;
using Xunit.Abstractions;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>The fixed-box app, with a recovery sweep too slow to touch the jobs a test writes straight into the store.</summary>
public sealed class QuietSweepKestrelAppFactory : KestrelAppFactoryBase
{
    public QuietSweepKestrelAppFactory() => Settings["Jobs:SweepSeconds"] = "3600";

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.AddSingleton<IVideoPlugin>(new FixedBoxPlugin());
}

/// <summary>What the pages give keyboard and low-vision users in Debian's Chromium: readable chips, visible focus, a way past the menu, safe dialogs.</summary>
[Collection(SerialCollection.Name)]
public sealed class AccessibilityTests(QuietSweepKestrelAppFactory app, ChromiumFixture chromium, ITestOutputHelper output)
    : IClassFixture<QuietSweepKestrelAppFactory>, IClassFixture<ChromiumFixture>
{
    /// <summary>
    /// WCAG's contrast ratio of an element's text against its background as painted: the backgrounds of the element and
    /// its ancestors laid over one another (a translucent chip over the page), then the text's colour over that.
    /// </summary>
    private const string TextContrast =
        """
        e => {
            const rgba = s => (s.match(/[\d.]+/g) || []).map(Number).concat([1]).slice(0, 4);
            const over = ([r, g, b, a], [br, bg, bb]) => [r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a)];
            const layers = [];
            for (let n = e; n; n = n.parentElement) {
                const layer = rgba(getComputedStyle(n).backgroundColor);
                if (layer[3] > 0) { layers.push(layer); }
                if (layer[3] === 1) { break; }
            }
            const back = layers.reverse().reduce((under, layer) => over(layer, under), [255, 255, 255]);
            const text = over(rgba(getComputedStyle(e).color), back);
            const lum = c => c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
                .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
            const [a, b] = [lum(text), lum(back)];
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }
        """;

    [BrowserFact]
    public async Task StatusChips_InTheLightAndTheDarkScheme_HaveTextContrastOfAtLeast4Point5()
    {
        await SeedJobsInEveryStatusAsync();

        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await using var context = await chromium.RequireBrowser().NewContextAsync(new() { ColorScheme = scheme });
            var page = await OpenAsAdminAsync(context, "/jobs");
            var chips = page.Locator("[data-testid=jobs-table] tbody tr").Filter(new() { HasText = "chip-" }).Locator("[data-testid=job-status-chip]");
            await Assertions.Expect(chips).ToHaveCountAsync(5, new() { Timeout = 30_000 });
            var ratios = await SettledContrastsAsync(page, scheme, chips);
            Assert.Equal(["cancelled", "completed", "failed", "pending", "running"], ratios.Select(r => r.Split(' ')[0]).Order(StringComparer.Ordinal));
        }
    }

    [BrowserFact]
    public async Task PrimaryButtons_FilledAndText_InTheLightAndTheDarkScheme_HaveTextContrastOfAtLeast4Point5()
    {
        await Store.AddJobAsync(JobStatus.Completed, "button-contrast.avi");

        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await using var context = await chromium.RequireBrowser().NewContextAsync(new() { ColorScheme = scheme });
            var page = await OpenAsAdminAsync(context, "/jobs");
            var buttons = page.Locator("[data-testid=jobs-new-job]").Or(page.Locator("[data-testid=job-open]").First);
            await Assertions.Expect(buttons).ToHaveCountAsync(2, new() { Timeout = 30_000 });
            await SettledContrastsAsync(page, scheme, buttons);
        }
    }

    /// <summary>
    /// Each of <paramref name="elements"/>' "text ratio", asserted to be at least 4.5 once the scheme's colours have
    /// settled: they reach the elements through a re-render and a colour transition after the body's, so they are read
    /// again until they pass (one that stays below the limit still fails after 10 s).
    /// </summary>
    private async Task<List<string>> SettledContrastsAsync(IPage page, ColorScheme scheme, ILocator elements)
    {
        var background = scheme == ColorScheme.Dark ? "!==" : "===";
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor {background} 'rgb(255, 255, 255)'", null, new() { Timeout = 10_000 });
        var ratios = await TextContrastsAsync(elements);
        for (var wait = 0; wait < 40 && ratios.Any(r => Ratio(r) < 4.5); wait++)
        {
            await Task.Delay(250);
            ratios = await TextContrastsAsync(elements);
        }

        output.WriteLine($"{scheme}: {string.Join(", ", ratios)}");
        Assert.All(ratios, r => Assert.True(Ratio(r) >= 4.5, $"{scheme}: {string.Join(", ", ratios)}"));
        return ratios;
    }

    /// <summary>Each element's "text ratio", such as "failed 5.62" for a chip or "New job 6.10" for a button.</summary>
    private static async Task<List<string>> TextContrastsAsync(ILocator elements)
    {
        var ratios = new List<string>();
        for (var i = 0; i < await elements.CountAsync(); i++)
        {
            var element = elements.Nth(i);
            ratios.Add($"{(await element.InnerTextAsync()).Trim()} {await element.EvaluateAsync<double>(TextContrast):0.00}");
        }

        return ratios;
    }

    private static double Ratio(string textAndRatio) => double.Parse(textAndRatio.Split(' ')[^1], CultureInfo.InvariantCulture);

    [BrowserFact]
    public async Task KeyboardFocus_OnAButtonAndOnTheCurrentNavLink_DrawsAnOutline()
    {
        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await OpenAsAdminAsync(context, "/jobs");

        foreach (var target in new[] { "nav-toggle", "nav-jobs" })
        {
            // The page's first interactive render moves focus to its h1 (FocusOnNavigate), which on a slow machine can
            // land after the Tab: then the target is reached again.
            var outline = "moved";
            for (var attempt = 0; attempt < 3 && outline == "moved"; attempt++)
            {
                await TabToAsync(page, $"[data-testid={target}]");
                outline = await page.EvaluateAsync<string>(
                    "s => { const e = document.activeElement; if (!e?.matches(s)) { return 'moved'; } const st = getComputedStyle(e); return `${st.outlineStyle} ${parseFloat(st.outlineWidth)}`; }",
                    $"[data-testid={target}]");
            }

            Assert.Equal("solid 3", outline);
        }

        // The heading that takes focus after a navigation still draws none.
        await page.Locator("h1").FocusAsync();
        Assert.Equal("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
    }

    [BrowserFact]
    public async Task SkipLink_IsTheFirstStopAndShownWhenFocused_AndEnterMovesFocusIntoTheMainLandmark()
    {
        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await OpenAsAdminAsync(context, "/jobs");
        var skip = page.Locator("[data-testid=skip-link]");

        // Nothing comes before it: the first control in the document's tab order.
        var first = await page.EvaluateAsync<string>(
            "() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')].find(e => e.tabIndex >= 0 && !e.disabled)?.textContent.trim()");
        Assert.Equal("Skip to content", first);
        await Assertions.Expect(skip).Not.ToBeInViewportAsync();

        await page.Locator("[data-testid=nav-toggle]").FocusAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        await Assertions.Expect(skip).ToBeInViewportAsync();

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.activeElement?.tagName === 'MAIN'", null, new() { Timeout = 10_000 });
        Assert.Equal(1, await page.Locator("main, [role=main]").CountAsync());
        Assert.EndsWith("/jobs", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('main').contains(document.activeElement)"), "the next stop should be in the page");
    }

    [BrowserFact]
    public async Task DeleteConfirmation_FocusesKeep_SoEnterDeletesNothing()
    {
        using var client = app.CreateClient();
        var jobId = await client.SubmitCompletedAsync(
            TestClips.MovingSquare(app.Clips.Path, frames: 5, width: 160, height: 120, name: "a11y-delete.avi"), FixedBoxPlugin.PluginId, FixedBoxPlugin.ToolId);
        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await OpenAsAdminAsync(context, $"/jobs/{jobId}");

        await page.Locator("[data-testid=job-delete]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Delete this job?");
        await page.WaitForFunctionAsync("() => document.querySelector('.mud-dialog')?.contains(document.activeElement) && document.activeElement.tagName === 'BUTTON'", null, new() { Timeout = 10_000 });
        Assert.Equal("Keep", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));

        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal("completed", (await client.GetStatusAsync(jobId)).Status());
    }

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has the focus.</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 30; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached {selector}");
    }

    private async Task<IPage> OpenAsAdminAsync(IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        await LoginPageObject.SignInAsAdminAsync(page, app.BaseUrl);
        await page.GotoAsync(app.BaseUrl + path);
        await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 30_000 });
        return page;
    }

    /// <summary>One job in each status, written to the store as the worker would leave it (the running one under a live lease).</summary>
    private async Task SeedJobsInEveryStatusAsync()
    {
        foreach (var status in Enum.GetValues<JobStatus>())
        {
            await Store.AddJobAsync(status, $"chip-{status.ToWire()}.avi");
        }
    }

    private JobStore Store => app.Services.GetRequiredService<JobStore>();
}
