using Microsoft.Playwright;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>What a browser sees while loading each page: no failing request, and the focus moved without a box.</summary>
[Collection(SerialCollection.Name)]
public sealed class PageLoadTests(FixedBoxKestrelAppFactory app, ChromiumFixture chromium)
    : IClassFixture<FixedBoxKestrelAppFactory>, IClassFixture<ChromiumFixture>
{
    [BrowserFact]
    public async Task EveryPage_OnLoad_AnswersNoRequestWithAnErrorAndFocusesItsHeadingWithoutAnOutline()
    {
        using var client = app.CreateClient();
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 10, width: 160, height: 120, name: "page-load.avi");
        var jobId = await client.SubmitCompletedAsync(clip, FixedBoxPlugin.PluginId, FixedBoxPlugin.ToolId);
        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);
        var failed = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (failed)
                {
                    failed.Add($"{response.Status} {response.Url}");
                }
            }
        };

        foreach (var path in new[] { "/", "/jobs", $"/jobs/{jobId}" })
        {
            await page.GotoAsync(app.BaseUrl + path, new() { WaitUntil = WaitUntilState.NetworkIdle });
            await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 30_000 });

            // Focus is on the heading (for screen readers), but the heading draws no focus box.
            await page.WaitForFunctionAsync("() => document.activeElement?.tagName === 'H1'", null, new() { Timeout = 10_000 });
            Assert.Equal("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        }

        await page.WaitForTimeoutAsync(500);
        lock (failed)
        {
            Assert.Empty(failed);
        }
    }
}
