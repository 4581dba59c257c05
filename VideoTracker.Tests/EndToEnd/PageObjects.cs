using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>Shared waits: Blazor Server pages work only once the circuit is connected.</summary>
public abstract partial class PageObject(IPage page)
{
    public IPage Page { get; } = page;

    protected Task WaitForInteractiveAsync() =>
        Page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 30_000 });

    protected ILocator ByTestId(string id) => Page.Locator($"[data-testid={id}]");
}

/// <summary>The new-job page at /.</summary>
public sealed partial class NewJobPageObject(IPage page, string baseUrl) : PageObject(page)
{
    public async Task OpenAsync()
    {
        await Page.GotoAsync(baseUrl + "/");
        await WaitForInteractiveAsync();
        await Assertions.Expect(Page).ToHaveTitleAsync("New job · VideoTracker");
    }

    public async Task ChooseFileAsync(string path)
    {
        // Blazor's InputFile listens for changes only after its first interactive render has reached the
        // browser; a test can be quicker than that, so a choice that went unseen is made again.
        var selected = ByTestId("selected-file");
        for (var attempt = 1; ; attempt++)
        {
            await FileInput.SetInputFilesAsync(path);
            try
            {
                await Assertions.Expect(selected).ToContainTextAsync(Path.GetFileName(path), new() { Timeout = attempt < 3 ? 3_000 : 15_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
            catch (PlaywrightException ex)
            {
                var inputs = await Page.Locator("[data-testid=upload-drop-zone]").InnerHTMLAsync();
                throw new InvalidOperationException($"The page did not take the file {Path.GetFileName(path)}. Drop zone: {inputs}", ex);
            }
        }
    }

    public async Task PickToolAsync(string pluginId, string toolId)
    {
        await ByTestId("plugin-select").ClickAsync();
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = $"({pluginId})" }).ClickAsync();
        await Page.Locator($"input[data-testid=tool-{toolId}]").CheckAsync();
        await Assertions.Expect(Page.Locator($"input[data-testid=tool-{toolId}]")).ToBeCheckedAsync();
    }

    public async Task ChooseAnyFileAsync(string path) => await FileInput.SetInputFilesAsync(path);

    /// <summary>MudFileUpload keeps the inputs of earlier choices hidden and adds a new one last.</summary>
    private ILocator FileInput => Page.Locator("[data-testid=upload-drop-zone] input[type=file]").Last;

    public ILocator FileError => ByTestId("file-error");

    public ILocator FormError => ByTestId("form-error");

    public ILocator SelectedFile => ByTestId("selected-file");

    public ILocator UploadStatus => ByTestId("upload-status");

    /// <summary>What the page says of an upload it did not see end (it was reloaded, or left), and the link to its job.</summary>
    public ILocator Resumed => ByTestId("upload-resumed");

    public ILocator ResumedJobLink => ByTestId("upload-resumed-job");

    public ILocator SubmitButton => ByTestId("submit-job");

    public ILocator Tool(string toolId) => Page.Locator($"input[data-testid=tool-{toolId}]");

    public ILocator Option(string name) => Page.Locator($"input[data-testid=option-{name}]");

    public Task WaitUntilInteractiveAsync() => WaitForInteractiveAsync();

    public Task ClickSubmitAsync() => SubmitButton.ClickAsync();

    public Task CancelUploadAsync() => ByTestId("cancel-upload").ClickAsync();

    /// <summary>Submits and waits for the job page the form navigates to.</summary>
    public async Task<Guid> SubmitAsync()
    {
        await ByTestId("submit-job").ClickAsync();
        await Page.WaitForURLAsync(JobUrl(), new() { Timeout = 60_000 });
        return Guid.Parse(JobUrl().Match(Page.Url).Groups[1].Value);
    }

    [GeneratedRegex(@"/jobs/([0-9a-f-]{36})$")]
    private static partial Regex JobUrl();
}

/// <summary>A job's page at /jobs/{id}.</summary>
public sealed class JobPageObject(IPage page) : PageObject(page)
{
    public ILocator Status => ByTestId("job-status");

    public ILocator Percent => ByTestId("job-percent");

    public ILocator ProgressBar => ByTestId("job-progress");

    public Task WaitUntilInteractiveAsync() => WaitForInteractiveAsync();

    /// <summary>Signs in as the admin in a new page of <paramref name="context"/> and opens the job's page, once it is interactive.</summary>
    public static async Task<JobPageObject> OpenAsAdminAsync(IBrowserContext context, string baseUrl, Guid jobId)
    {
        var page = await LoginPageObject.NewAdminPageAsync(context, baseUrl);
        await page.GotoAsync($"{baseUrl}/jobs/{jobId}");
        var job = new JobPageObject(page);
        await job.WaitUntilInteractiveAsync();
        return job;
    }

    /// <summary>aria-valuenow of the progress bar; null while it is indeterminate or not shown.</summary>
    public async Task<int?> ProgressValueAsync()
    {
        var value = await ProgressBar.GetAttributeAsync("aria-valuenow", new() { Timeout = 5_000 });
        return int.TryParse(value, out var v) ? v : null;
    }

    public async Task<string> SummaryAsync(string card) => (await ByTestId($"summary-{card}").InnerTextAsync()).Trim();

    /// <summary>
    /// Waits until the player can show a frame (then seeks to <paramref name="fraction"/> of the clip so its
    /// boxes are drawn) or says the preview is unavailable. Returns whether the video plays.
    /// </summary>
    public async Task<bool> WaitForPlayerAsync(double fraction = 0.4)
    {
        await Page.WaitForFunctionAsync(
            "() => document.querySelector('[data-testid=player-unavailable]') || (document.querySelector('.vt-player video')?.readyState ?? 0) >= 2",
            null,
            new() { Timeout = 60_000 });
        if (await ByTestId("player-unavailable").CountAsync() > 0)
        {
            return false;
        }

        await Page.EvaluateAsync(
            @"async fraction => {
                const video = document.querySelector('.vt-player video');
                const seeked = new Promise(resolve => video.addEventListener('seeked', resolve, { once: true }));
                video.currentTime = video.duration * fraction;
                await seeked;
                await new Promise(resolve => setTimeout(resolve, 300));
            }",
            fraction);
        return true;
    }

    /// <summary>Sets the player's playhead to <paramref name="seconds"/> and waits until the video has seeked there.</summary>
    public Task SeekAsync(double seconds) =>
        Page.EvaluateAsync(
            @"async seconds => {
                const video = document.querySelector('.vt-player video');
                const seeked = new Promise(resolve => video.addEventListener('seeked', resolve, { once: true }));
                video.currentTime = seconds;
                await seeked;
            }",
            seconds);

    public async Task<string> DownloadCsvAsync()
    {
        var download = await Page.RunAndWaitForDownloadAsync(() => ByTestId("download-csv").ClickAsync());
        var path = await download.PathAsync();
        return await File.ReadAllTextAsync(path);
    }
}

/// <summary>The jobs table at /jobs.</summary>
public sealed class JobsPageObject(IPage page, string baseUrl) : PageObject(page)
{
    public async Task OpenAsync()
    {
        await Page.GotoAsync(baseUrl + "/jobs");
        await WaitForInteractiveAsync();
        await Assertions.Expect(Page).ToHaveTitleAsync("Jobs · VideoTracker");
    }

    public async Task FilterAsync(string status)
    {
        await ByTestId("jobs-status-filter").ClickAsync();
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextString = status }).First.ClickAsync();
    }

    public ILocator Empty => ByTestId("jobs-empty");

    public ILocator Row(string fileName) => Page.Locator("[data-testid=jobs-table] tbody tr").Filter(new() { HasText = fileName });

    /// <summary>The file names of the rows shown.</summary>
    public ILocator Files => Page.Locator("[data-testid=jobs-table] [data-testid=job-row-file]");

    /// <summary>The pager, which says which rows of how many are shown ("21-25 of 25").</summary>
    public ILocator Pager => ByTestId("jobs-pager");

    /// <summary>The search field's input.</summary>
    public ILocator Search => Page.Locator("input[data-testid=jobs-search], [data-testid=jobs-search] input").First;

    /// <summary>The status filter, whose text is its value ("All", "failed", …).</summary>
    public ILocator Status => Page.GetByRole(AriaRole.Combobox, new() { Name = "Status" });

    public Task NextPageAsync() => Pager.Locator("button[aria-label='Next page']").ClickAsync();

    /// <summary>Waits until the page is interactive again, after a reload or Back.</summary>
    public Task WaitUntilInteractiveAsync() => WaitForInteractiveAsync();
}

/// <summary>The sign-in page.</summary>
public sealed class LoginPageObject(IPage page, string baseUrl) : PageObject(page)
{
    public ILocator Error => ByTestId("login-error");

    /// <summary>Opens /login and signs in; waits until the browser has left the sign-in page.</summary>
    public async Task SignInAsync(string username, string password, string? returnUrl = null)
    {
        await SubmitAsync(username, password, returnUrl);
        var login = new Uri($"{baseUrl}/login").AbsolutePath;
        await Page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith(login, StringComparison.Ordinal));
    }

    /// <summary>Opens /login and sends the form, without waiting for where it leads (by default the app's first page).</summary>
    public async Task SubmitAsync(string username, string password, string? returnUrl = null)
    {
        returnUrl ??= new Uri($"{baseUrl}/").AbsolutePath;
        await Page.GotoAsync($"{baseUrl}/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await ByTestId("login-username").FillAsync(username);
        await ByTestId("login-password").FillAsync(password);
        await ByTestId("login-submit").ClickAsync();
    }

    /// <summary>Signs in as the first admin of the test app (Auth:InitialAdmin).</summary>
    public static Task SignInAsAdminAsync(IPage page, string baseUrl) =>
        new LoginPageObject(page, baseUrl).SignInAsync(Support.VideoTrackerAppFactory.AdminName, Support.VideoTrackerAppFactory.AdminPassword);

    /// <summary>A new page of <paramref name="context"/>, signed in as the first admin of the test app.</summary>
    public static async Task<IPage> NewAdminPageAsync(IBrowserContext context, string baseUrl)
    {
        var page = await context.NewPageAsync();
        await SignInAsAdminAsync(page, baseUrl);
        return page;
    }
}
