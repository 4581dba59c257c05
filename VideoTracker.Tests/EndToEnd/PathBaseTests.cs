using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoTracker.App.Hosting;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>
/// The real app on Kestrel with <c>Server:PathBase=/videotracker</c>, as a reverse proxy serves it under
/// https://host/videotracker/ and passes the path on unchanged.
/// </summary>
public sealed class PathBaseAppFactory : KestrelAppFactoryBase
{
    public const string PathBase = "/videotracker";

    public PathBaseAppFactory()
    {
        Settings["Server:PathBase"] = PathBase;
        Settings["Jobs:PreparePreview"] = "true";
    }

    /// <summary>For example http://127.0.0.1:41234/videotracker: where the browser and API clients find the app.</summary>
    public string AppUrl => BaseUrl + PathBase;
}

/// <summary>
/// Served under a sub-path, every address the app gives out stays below it: redirects, the page's base address and
/// its links, the cookies' path, and the API's links and <c>Location</c> headers.
/// </summary>
public sealed partial class PathBaseHttpTests(PathBaseAppFactory app) : IClassFixture<PathBaseAppFactory>
{
    [Fact]
    public async Task Pages_RedirectToTheSignInBelowThePathBase_AndLinkOnlyBelowIt()
    {
        using var anonymous = Client();
        using var page = await anonymous.GetAsync("jobs");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/videotracker/login?returnUrl=%2Fvideotracker%2Fjobs", page.Headers.Location!.ToString());

        var login = await anonymous.GetStringAsync("login?returnUrl=%2Fvideotracker%2Fjobs");
        Assert.Contains("<base href=\"/videotracker/\" />", login, StringComparison.Ordinal);

        using var signedIn = Client();
        var cookie = await SignInCookieAsync(signedIn);
        Assert.Contains("path=/videotracker", cookie, StringComparison.OrdinalIgnoreCase);
        signedIn.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        signedIn.DefaultRequestHeaders.Add("Accept", "text/html");   // as a browser asks (the 404 page is for browsers)
        foreach (var path in new[] { "", "jobs", "account", "admin/users", "admin/audit", "no-such-page" })
        {
            using var answer = await signedIn.GetAsync(path);
            var html = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"'{path}': {(int)answer.StatusCode} {answer.Headers.Location}");
            Assert.True(html.Contains("<base href=\"/videotracker/\" />", StringComparison.Ordinal), $"'{path}' has no base address below the path base.");
            Assert.Empty(OutsideThePathBase().Matches(html).Select(m => m.Value));
        }

        // Signing out goes back to the sign-in page below the path base.
        using var tokenAnswer = await signedIn.GetAsync("ui/antiforgery");
        var token = await tokenAnswer.Content.ReadFromJsonAsync<JsonElement>();
        using var logout = new HttpRequestMessage(HttpMethod.Post, "logout") { Content = new FormUrlEncodedContent([new("returnUrl", "/videotracker/")]) };
        logout.Headers.Add(token.GetProperty("header_name").GetString()!, token.GetProperty("token").GetString());
        logout.Headers.Add("Cookie", string.Join("; ", [cookie.Split(';')[0], .. tokenAnswer.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])]));
        using var signedOut = await Client().SendAsync(logout);
        Assert.Equal((HttpStatusCode.Redirect, "/videotracker/login"), (signedOut.StatusCode, signedOut.Headers.Location?.ToString()));
    }

    [Fact]
    public async Task Api_LinksAndLocations_StartWithThePathBase_AndLeadToTheirFiles()
    {
        using var client = Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", VideoTrackerAppFactory.ServiceKey);
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 10, name: "under-a-path.avi");
        using var form = ApiClient.SubmitForm(clip);
        using var submit = await client.PostAsync("v1/video/submit", form);
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var jobId = (await submit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job_id").GetGuid();
        Assert.Equal($"/videotracker/v1/video/status/{jobId}", submit.Headers.Location?.ToString());

        var job = await Poll.UntilAsync(
            () => client.GetFromJsonAsync<JsonElement>($"v1/jobs/{jobId}"),
            j => j.Status() is "completed" or "failed" or "cancelled",
            TimeSpan.FromSeconds(120),   // a loaded machine also encodes the preview (Jobs:PreparePreview)
            TimeSpan.FromMilliseconds(200),
            j => $"Job {jobId} did not end in 120 s: {j}");
        Assert.Equal("completed", job.Status());

        var results = job.GetProperty("results").GetProperty("results");
        var links = new[] { results.GetProperty("frames_url").GetString()! }.Concat(results.GetProperty("exports").EnumerateObject().Select(e => e.Value.GetString()!)).ToList();
        Assert.Equal($"/videotracker/v1/video/results/{jobId}", links[0]);
        foreach (var link in links)
        {
            using var file = await client.GetAsync(app.BaseUrl + link);   // from the host, as a client resolves it
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{link}: {(int)file.StatusCode}");
        }

        using var user = await client.PostAsJsonAsync("v1/users", new { username = "pat", password = "a-long-enough-password", role = "viewer" });
        Assert.Equal((HttpStatusCode.Created, "/videotracker/v1/users/pat"), (user.StatusCode, user.Headers.Location?.ToString()));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("/videotracker", true)]
    [InlineData("/apps/video-tracker_2.0~x", true)]
    [InlineData("videotracker", false)]
    [InlineData("/videotracker/", false)]
    [InlineData("/", false)]
    [InlineData("//evil.example", false)]
    [InlineData("/a/../b", false)]
    [InlineData("/video tracker", false)]
    [InlineData("/v?x=1", false)]
    public void PathBase_IsAPathWithoutTrailingSlash(string pathBase, bool valid) =>
        Assert.Equal(valid, ServerOptions.IsValidPathBase(pathBase));

    /// <summary>A client of the app under its path base, that follows no redirect and keeps no cookie.</summary>
    private HttpClient Client() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(app.AppUrl + "/") };

    private static async Task<string> SignInCookieAsync(HttpClient client)
    {
        using var login = await client.PostAsJsonAsync("v1/auth/login", new { username = VideoTrackerAppFactory.AdminName, password = VideoTrackerAppFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(App.Accounts.AccountsServiceCollectionExtensions.CookieName, StringComparison.Ordinal));
    }

    /// <summary>An address in a page that leaves the path base: from the host's root, but not below /videotracker/.</summary>
    [GeneratedRegex("(?:href|src|action)=\"/(?!videotracker/)[^\"]*\"")]
    private static partial Regex OutsideThePathBase();
}

/// <summary>The app under <c>Server:PathBase</c> at its first start, with no user yet: it logs the one-time setup link.</summary>
public sealed class PathBaseSetupAppFactory : KestrelAppFactoryBase
{
    public PathBaseSetupAppFactory()
    {
        Settings["Server:PathBase"] = PathBaseAppFactory.PathBase;
        Settings["Auth:InitialAdmin:Username"] = null;
        Settings["Auth:InitialAdmin:Password"] = null;
    }

    public ListLoggerProvider Log { get; } = new();

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Log);
}

public sealed class PathBaseSetupTests(PathBaseSetupAppFactory app) : IClassFixture<PathBaseSetupAppFactory>
{
    [Fact]
    public async Task SetupLink_InTheLog_IsBelowThePathBase_AndOpensTheSetupPage()
    {
        var appUrl = app.BaseUrl + PathBaseAppFactory.PathBase;
        var line = Assert.Single(app.Log.Messages, m => m.StartsWith("No user exists yet", StringComparison.Ordinal));
        var link = line[(line.IndexOf("open ", StringComparison.Ordinal) + "open ".Length)..];
        Assert.StartsWith($"{appUrl}/setup?code=", link, StringComparison.Ordinal);

        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var page = await client.GetStringAsync(link);
        Assert.Contains("<base href=\"/videotracker/\" />", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"setup-closed\"", page, StringComparison.Ordinal);
    }
}

/// <summary>
/// A person's path through the app under a sub-path, in Debian's Chromium: sign in, upload with progress, watch the job,
/// play its preview with the boxes (the player's result windows), download, move through the menu, sign out. No
/// request the page makes (assets, scripts' fetches, the circuit's WebSocket) leaves the path base.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class PathBaseBrowserTests(PathBaseAppFactory app, ChromiumFixture chromium)
    : IClassFixture<PathBaseAppFactory>, IClassFixture<ChromiumFixture>
{
    [BrowserFact]
    public async Task TheWholePath_UnderASubPath_StaysBelowIt()
    {
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 60, width: 320, height: 240, fps: 10, name: "sub-path.avi");
        await using var context = await chromium.RequireBrowser().NewContextAsync(new() { AcceptDownloads = true, ViewportSize = new() { Width = 1280, Height = 1180 } });
        var page = await context.NewPageAsync();
        var outside = new List<string>();
        var results = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(app.AppUrl + "/", StringComparison.Ordinal) && !request.Url.StartsWith("ws://" + app.AppUrl[7..] + "/", StringComparison.Ordinal)
                && !request.Url.StartsWith("blob:", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                outside.Add(request.Url);
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Url.Contains("/v1/video/results/", StringComparison.Ordinal))
            {
                results.Add($"{response.Status} {response.Url}");
            }
        };
        var sockets = new List<string>();
        page.WebSocket += (_, socket) => sockets.Add(socket.Url);

        // The app's first page sends an anonymous visitor to sign in, and back.
        await page.GotoAsync(app.AppUrl + "/");
        await Microsoft.Playwright.Assertions.Expect(page).ToHaveURLAsync($"{app.AppUrl}/login?returnUrl=%2Fvideotracker%2F");
        await page.Locator("[data-testid=login-username]").FillAsync(VideoTrackerAppFactory.AdminName);
        await page.Locator("[data-testid=login-password]").FillAsync(VideoTrackerAppFactory.AdminPassword);
        await page.Locator("[data-testid=login-submit]").ClickAsync();
        await page.WaitForURLAsync(app.AppUrl + "/");

        var form = new NewJobPageObject(page, app.AppUrl);
        await form.OpenAsync();
        await form.ChooseFileAsync(clip);
        await form.PickToolAsync(OpenCvClassicPlugin.PluginId, MotionDetectionTool.ToolId);
        var jobId = await form.SubmitAsync();
        Assert.Equal($"{app.AppUrl}/jobs/{jobId}", page.Url);

        var job = new JobPageObject(page);
        await Microsoft.Playwright.Assertions.Expect(job.Status).ToContainTextAsync("complete", new() { Timeout = 120_000 });
        Assert.True(await job.WaitForPlayerAsync(), "The preview did not play.");
        Assert.Equal($"{app.AppUrl}/v1/jobs/{jobId}/preview", await page.Locator(".vt-player video").EvaluateAsync<string>("v => v.currentSrc"));
        Assert.Contains(results, r => r.StartsWith($"200 {app.AppUrl}/v1/video/results/{jobId}?from_ms=", StringComparison.Ordinal));
        Assert.StartsWith(UploadAndWatchJobTests.CsvHeader, await job.DownloadCsvAsync(), StringComparison.Ordinal);

        foreach (var (link, path) in new[] { ("nav-jobs", "/jobs"), ("nav-account", "/account"), ("nav-users", "/admin/users"), ("nav-audit", "/admin/audit"), ("nav-new-job", "/") })
        {
            await page.Locator($"[data-testid={link}]").ClickAsync();
            await page.WaitForURLAsync(app.AppUrl + path);
        }

        await page.Locator("[data-testid=logout]").ClickAsync();
        await page.WaitForURLAsync(app.AppUrl + "/login");

        Assert.Contains(sockets, s => s.StartsWith($"ws://{app.AppUrl[7..]}/_blazor", StringComparison.Ordinal));
        Assert.Empty(outside);
    }
}
