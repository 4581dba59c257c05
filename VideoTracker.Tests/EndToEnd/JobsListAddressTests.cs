using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>The jobs list keeps its page, status filter and search in its address, in Debian's Chromium.</summary>
[Collection(SerialCollection.Name)]
public sealed partial class JobsListAddressTests(QuietSweepKestrelAppFactory app, ChromiumFixture chromium)
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

    private Regex JobsAddress(string query) => new("^" + Regex.Escape(app.BaseUrl + "/jobs" + query) + "$");
}
