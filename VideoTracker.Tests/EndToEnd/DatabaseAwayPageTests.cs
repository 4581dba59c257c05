using Microsoft.Playwright;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>The app on Kestrel and real PostgreSQL through a <see cref="FreezableTcpProxy"/>, so the database can stop answering.</summary>
public sealed class DatabaseAwayKestrelFactory : KestrelAppFactoryBase
{
    public DatabaseAwayKestrelFactory()
    {
        // Npgsql's own limits (15 s to connect, 30 s a command) are what an operator shortens in the connection string.
        Database = ProxiedPostgres.For(Settings, "Timeout=3;Command Timeout=3");
    }

    public ProxiedPostgres? Database { get; }

    public override ValueTask DisposeAsync() => ProxiedPostgres.DisposeWithAppAsync(Database, () => base.DisposeAsync());
}

/// <summary>A browser test on the PostgreSQL test server: skipped with the reason when Chromium or the server is missing, except in CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresBrowserFactAttribute : FactAttribute
{
    public PostgresBrowserFactAttribute()
    {
        Skip = ChromiumFixture.SkipReason
            ?? TestPostgres.SkipReason(Environment.GetEnvironmentVariable(TestPostgres.Variable), Environment.GetEnvironmentVariable("CI"));
    }
}

/// <summary>The pages while the database stops answering for a while, in Chromium: they say so, and carry on once it is back.</summary>
[Collection(SerialCollection.Name)]
public sealed class DatabaseAwayPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncDisposable
{
    private readonly DatabaseAwayKestrelFactory _app = new();

    [PostgresBrowserFact]
    public async Task JobsPage_TheDatabaseStopsAnsweringAndComesBack_SaysSoThenListsAgain()
    {
        using var client = _app.CreateClient();
        await client.SubmitCompletedAsync(TestClips.MovingSquare(_app.Clips.Path, frames: 10, name: "listed.avi"));
        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await LoginPageObject.NewAdminPageAsync(context, _app.BaseUrl);
        await page.GotoAsync(_app.BaseUrl + "/jobs");
        await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 30_000 });
        await page.Locator("[data-testid=job-row-file]", new() { HasText = "listed.avi" }).WaitForAsync();

        // A search while the database does not answer: the list cannot be read.
        _app.Database!.Proxy.Freeze();
        await page.Locator("input[data-testid=jobs-search], [data-testid=jobs-search] input").FillAsync("listed");

        var warning = page.Locator("[data-testid=jobs-warning]");
        await warning.WaitForAsync(new() { Timeout = 20_000 });
        Assert.Equal("Could not load the jobs just now; still trying every 2 seconds…", (await warning.TextContentAsync())?.Trim());
        Assert.Equal(1, await page.Locator("[data-testid=job-row-file]", new() { HasText = "listed.avi" }).CountAsync());

        // Back: the page, still live, lists by the search on its own and the warning goes.
        _app.Database.Proxy.Thaw();
        await warning.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 20_000 });
        await page.Locator("[data-testid=job-row-file]", new() { HasText = "listed.avi" }).WaitForAsync();
        Assert.Contains("search=listed", page.Url, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
