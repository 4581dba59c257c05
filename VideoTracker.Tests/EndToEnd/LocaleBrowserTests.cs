using Microsoft.Playwright;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>A user elsewhere: a German browser in India's half-hour time zone, and a file name in several scripts with quotes.</summary>
[Collection(SerialCollection.Name)]
public sealed class LocaleBrowserTests(PacedKestrelAppFactory app, ChromiumFixture chromium)
    : IClassFixture<PacedKestrelAppFactory>, IClassFixture<ChromiumFixture>
{
    [BrowserFact]
    public async Task NewJob_GermanUserTypesADecimalComma_IsToldToUseAPointRatherThanRunningWithTenTimesTheValue()
    {
        const string name = "Straße 北京 مرحبا 🎥 \"final\";v2.avi";
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 20, width: 320, height: 240, fps: 20, name: name);
        await using var context = await chromium.RequireBrowser().NewContextAsync(new() { Locale = "de-DE", TimezoneId = "Asia/Kolkata" });
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);
        var form = new NewJobPageObject(page, app.BaseUrl);
        await form.OpenAsync();
        await form.ChooseFileAsync(clip);
        await form.PickToolAsync(OpenCvClassicPlugin.PluginId, MotionDetectionTool.ToolId);

        // Keys, as a person types them: a type=number field in this Chromium drops the comma and reads 205.
        var field = form.Option(MotionDetectionOptions.VarThresholdOption);
        await field.FillAsync(string.Empty);
        await field.PressSequentiallyAsync("20,5");
        await Assertions.Expect(field).ToHaveValueAsync("20,5");
        var control = page.Locator(".mud-input-control").Filter(new() { Has = field }).First;
        await Assertions.Expect(control).ToContainTextAsync("must be a number written with a decimal point and no thousands separator, not '20,5'.");

        await field.FillAsync("20.5");
        var jobId = await form.SubmitAsync();

        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", VideoTrackerAppFactory.ServiceKey);
        var job = JsonDocument.Parse(await http.GetStringAsync($"/v1/jobs/{jobId}")).RootElement;
        Assert.Equal(20.5, job.GetProperty("options").GetProperty(MotionDetectionOptions.VarThresholdOption).GetDouble());
        // The browser sends the name's quotes as %22: the job has the name the user's file has.
        Assert.Equal(name, job.GetProperty("file_name").GetString());
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(name);

        // Times are the server's UTC, labelled, whatever the browser's zone (Kolkata is UTC+5:30).
        await page.GotoAsync($"{app.BaseUrl}/jobs");
        var created = page.Locator("td[data-label=Created] time").First;
        await Assertions.Expect(created).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$"));
        var shown = DateTime.ParseExact((await created.InnerTextAsync())[..19], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        Assert.InRange(DateTime.UtcNow - shown, TimeSpan.Zero, TimeSpan.FromMinutes(5));
    }
}
