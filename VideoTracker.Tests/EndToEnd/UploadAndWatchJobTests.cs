using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>The real app on Kestrel with the motion tool paced so a job lasts several polls.</summary>
public sealed class PacedKestrelAppFactory : KestrelAppFactoryBase
{
    protected override void ConfigureTestServices(IServiceCollection services)
    {
        services.RemoveAll<IOpenCvClassicTool>();
        services.AddSingleton<IOpenCvClassicTool>(new PacedMotionTool(TimeSpan.FromMilliseconds(20)));
    }
}

/// <summary>A person's path through the UI in Debian's Chromium: upload, watch, read the results, download.</summary>
[Collection(SerialCollection.Name)]
public sealed class UploadAndWatchJobTests(PacedKestrelAppFactory app, ChromiumFixture chromium, ITestOutputHelper output)
    : IClassFixture<PacedKestrelAppFactory>, IClassFixture<ChromiumFixture>
{
    public const string CsvHeader = "frame_index,timestamp_ms,track_id,class_name,confidence,x1,y1,x2,y2,interpolated";

    public static string ArtifactsDirectory => Path.Combine(AppContext.BaseDirectory, "e2e-artifacts");

    [BrowserFact]
    public async Task UploadClip_ThroughThePage_ShowsProgressRisingThenResultsAndDownloadsCsv()
    {
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 400, width: 320, height: 240, fps: 20, name: "moving-square.avi");
        await using var context = await chromium.RequireBrowser().NewContextAsync(new() { AcceptDownloads = true, ViewportSize = new() { Width = 1280, Height = 1180 } });
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);

        var form = new NewJobPageObject(page, app.BaseUrl);
        await form.OpenAsync();
        // A first choice, replaced: the page must send the file chosen last.
        await form.ChooseFileAsync(TestClips.MovingSquare(app.Clips.Path, frames: 5, name: "first-choice.avi"));
        await form.ChooseFileAsync(clip);
        await form.PickToolAsync(OpenCvClassicPlugin.PluginId, MotionDetectionTool.ToolId);
        var jobId = await form.SubmitAsync();

        var job = new JobPageObject(page);
        await job.WaitUntilInteractiveAsync();
        var seen = new List<int>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (await job.ProgressValueAsync() is { } value && (seen.Count == 0 || seen[^1] != value))
            {
                seen.Add(value);
            }

            if ((await job.Status.InnerTextAsync()).Contains("complete", StringComparison.Ordinal))
            {
                break;
            }

            await page.WaitForTimeoutAsync(100);
        }

        // The page may have re-rendered between reading the bar and reading the status.
        if (await job.ProgressValueAsync() is { } final && (seen.Count == 0 || seen[^1] != final))
        {
            seen.Add(final);
        }

        output.WriteLine($"aria-valuenow seen on the job page: {string.Join(", ", seen)}");
        Assert.Equal("Video processing complete.", (await job.Status.InnerTextAsync()).Trim());
        Assert.Equal("100% complete", (await job.Percent.InnerTextAsync()).Trim());
        Assert.Equal(100, await job.ProgressValueAsync());
        Assert.Equal(seen.Order(), seen);
        Assert.True(seen.Any(v => v is > 0 and < 100), $"The bar should show progress between 0 and 100 on the way; it showed {string.Join(", ", seen)}.");
        Assert.Equal(100, seen[^1]);

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("moving-square.avi");
        Assert.Equal("400", await job.SummaryAsync("frames"));
        Assert.True(int.Parse(await job.SummaryAsync("detections"), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture) > 300);
        Assert.Equal("1", await job.SummaryAsync("classes"));
        await Assertions.Expect(page.Locator("[data-testid=results-chart] svg")).ToBeVisibleAsync();

        var csv = await job.DownloadCsvAsync();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(CsvHeader, lines[0]);
        Assert.True(lines.Length > 300, $"Expected a row per detection, got {lines.Length - 1}.");
        Assert.Matches(@"^\d+,[\d.]+,[^,]*,motion,[\d.]+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,false$", lines[1]);

        // The player plays the browser-playable preview with boxes over it, or says plainly that it cannot.
        var plays = await job.WaitForPlayerAsync();
        output.WriteLine(plays ? "The preview plays." : "The preview is unavailable on this server.");

        Directory.CreateDirectory(ArtifactsDirectory);
        var screenshot = Path.Combine(ArtifactsDirectory, $"job-{jobId}.png");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = screenshot });
        File.Copy(screenshot, Path.Combine(ArtifactsDirectory, "job-completed.png"), overwrite: true);
        Assert.True(new FileInfo(screenshot).Length > 10_000);

        var jobs = new JobsPageObject(page, app.BaseUrl);
        await jobs.OpenAsync();
        var row = jobs.Row("moving-square.avi");
        await Assertions.Expect(row.Locator("[data-testid=job-status-chip]")).ToHaveTextAsync("completed");
        await Assertions.Expect(row.Locator("[data-testid=job-progress]")).ToHaveAttributeAsync("aria-valuenow", "100");
        await jobs.FilterAsync("failed");
        await Assertions.Expect(jobs.Empty).ToHaveTextAsync("No failed jobs.");
        await jobs.FilterAsync("completed");
        await row.Locator("[data-testid=job-open]").ClickAsync();
        await page.WaitForURLAsync($"**/jobs/{jobId}");
    }

    [BrowserFact]
    public async Task NewJobPage_WhenFileIsNotAVideoOrConnectionDrops_SaysSoClearly()
    {
        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);
        var form = new NewJobPageObject(page, app.BaseUrl);
        await form.OpenAsync();

        var notes = Path.Combine(app.Clips.Path, "notes.txt");
        await File.WriteAllTextAsync(notes, "not a video");
        await form.ChooseAnyFileAsync(notes);
        await Assertions.Expect(form.FileError).ToContainTextAsync("'notes.txt' is not a video file");

        // The connection breaks while the file is on its way: the browser's request fails.
        await page.RouteAsync("**/ui/upload", route => route.AbortAsync("connectionreset"));
        await form.ChooseFileAsync(TestClips.MovingSquare(app.Clips.Path, frames: 10, name: "dropped.avi"));
        await form.ClickSubmitAsync();
        await Assertions.Expect(form.FormError).ToContainTextAsync("The upload failed part-way");
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task NewJobPage_AtPhoneWidthInDarkModeWithKeyboardOnly_ReachesFileToolAndSubmit()
    {
        await using var context = await chromium.RequireBrowser().NewContextAsync(new()
        {
            ViewportSize = new() { Width = 390, Height = 844 },
            IsMobile = true,
            ColorScheme = ColorScheme.Dark,
        });
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);
        var form = new NewJobPageObject(page, app.BaseUrl);
        await form.OpenAsync();

        // The theme follows the system: a dark page for a dark system.
        await Assertions.Expect(page.Locator("body")).Not.ToHaveCSSAsync("background-color", "rgb(255, 255, 255)");

        var reached = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 40 && !reached.Contains("submit-job"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('data-testid')") is { } id)
            {
                reached.Add(id);
            }
        }

        Assert.Contains("choose-file", reached);
        Assert.Contains($"tool-{MotionDetectionTool.ToolId}", reached);
        Assert.Contains("option-min_area", reached);
        Assert.Contains("submit-job", reached);

        // Nothing is wider than the phone: no sideways scrolling.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
        Directory.CreateDirectory(ArtifactsDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ArtifactsDirectory, "new-job-phone.png"), FullPage = true });
    }
}
