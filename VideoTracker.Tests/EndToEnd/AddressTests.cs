using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>What an address shows in Debian's Chromium: the jobs list's page, filter and search kept in it, the app's page for one it does not know.</summary>
[Collection(SerialCollection.Name)]
public sealed partial class AddressTests(QuietSweepKestrelAppFactory app, ChromiumFixture chromium)
    : IClassFixture<QuietSweepKestrelAppFactory>, IClassFixture<ChromiumFixture>
{
    [BrowserFact]
    public async Task JobsList_PageSearchAndStatus_AreKeptInTheAddressThroughReloadBackAndLinks()
    {
        var store = app.Services.GetRequiredService<JobStore>();
        for (var i = 1; i <= 22; i++)
        {
            await store.AddJobAsync(JobStatus.Completed, $"list-{i:00}.avi");
        }

        for (var i = 1; i <= 3; i++)
        {
            await store.AddJobAsync(JobStatus.Failed, $"broken-{i}.avi");
        }

        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);
        var jobs = new JobsPageObject(page, app.BaseUrl);
        await jobs.OpenAsync();
        await Assertions.Expect(jobs.Pager).ToContainTextAsync("1-20 of 25", new() { Timeout = 30_000 });
        var entries = await page.EvaluateAsync<int>("() => history.length");

        // The second page is in the address, and a reload stays on it.
        await jobs.NextPageAsync();
        await Assertions.Expect(jobs.Pager).ToContainTextAsync("21-25 of 25");
        await Assertions.Expect(page).ToHaveURLAsync(JobsAddress("?page=2"));
        await page.ReloadAsync();
        await jobs.WaitUntilInteractiveAsync();
        await Assertions.Expect(jobs.Pager).ToContainTextAsync("21-25 of 25", new() { Timeout = 30_000 });
        await Assertions.Expect(jobs.Files).ToHaveCountAsync(5);

        // A search starts again at the first page; the address says so, in place of its entry, so Back is not flooded.
        await jobs.Search.FillAsync("broken");
        await Assertions.Expect(page).ToHaveURLAsync(JobsAddress("?search=broken"));
        await Assertions.Expect(jobs.Files).ToHaveCountAsync(3);
        Assert.Equal(entries, await page.EvaluateAsync<int>("() => history.length"));

        // Open a job, then Back: the search is still there, and still applied.
        await jobs.Row("broken-2.avi").Locator("[data-testid=job-open]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/jobs/", StringComparison.Ordinal));
        await page.GoBackAsync();
        await Assertions.Expect(page).ToHaveURLAsync(JobsAddress("?search=broken"));
        await jobs.WaitUntilInteractiveAsync();
        await Assertions.Expect(jobs.Search).ToHaveValueAsync("broken");
        await Assertions.Expect(jobs.Files).ToHaveCountAsync(3);

        // A link to the failed jobs shows only those, with the filter set.
        await page.GotoAsync(app.BaseUrl + "/jobs?status=failed");
        await jobs.WaitUntilInteractiveAsync();
        await Assertions.Expect(jobs.Status).ToHaveTextAsync("failed");
        await Assertions.Expect(jobs.Files).ToHaveTextAsync(["broken-3.avi", "broken-2.avi", "broken-1.avi"]);
        await Assertions.Expect(jobs.Pager).ToContainTextAsync("1-3 of 3");
    }

    [BrowserFact]
    public async Task UnknownAddressOrJob_Is404WithTheAppsOwnPageInItsLayout()
    {
        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);

        var unknown = await page.GotoAsync(app.BaseUrl + "/jobz");

        Assert.Equal(404, unknown?.Status);
        await Assertions.Expect(page).ToHaveTitleAsync("Page not found · VideoTracker");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=nav-jobs]")).ToBeVisibleAsync();   // the app's menu
        await page.Locator("[data-testid=not-found-jobs]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(JobsAddress(string.Empty));
        await Assertions.Expect(page).ToHaveTitleAsync("Jobs · VideoTracker");

        // A job that is not there: 404 too, with the job page's own words, still there once the page is interactive.
        var job = await page.GotoAsync($"{app.BaseUrl}/jobs/{Guid.NewGuid()}");

        Assert.Equal(404, job?.Status);
        await new JobPageObject(page).WaitUntilInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=job-not-found]")).ToContainTextAsync("There is no job with the id");

        // From a page in its circuit, an address the router does not know shows the same page.
        await page.EvaluateAsync("() => Blazor.navigateTo('/jobs-that-are-not-here')");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/jobs-that-are-not-here$"));
    }

    private Regex JobsAddress(string query) => new("^" + Regex.Escape(app.BaseUrl + "/jobs" + query) + "$");
}
