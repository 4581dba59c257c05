using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>
/// A running job's page, in Debian's Chromium, whose circuit drops and comes back: its polling, skipped while the
/// browser is away, resumes once it is back, and the page shows the progress made meanwhile.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class JobPageReconnectTests(TestPluginKestrelAppFactory app, ChromiumFixture chromium)
    : IClassFixture<TestPluginKestrelAppFactory>, IClassFixture<ChromiumFixture>
{
    [BrowserFact]
    public async Task JobPage_WhenItsCircuitDropsAndComesBack_ShowsTheProgressMadeMeanwhile()
    {
        using var client = app.CreateClient();
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 20, name: "reconnect.avi");
        var job = await client.SubmitAsync(clip, TestPlugin.PluginId, "gated");
        app.Plugin.Gated.Gate.Release(2);
        var before = await ProgressAtFrameAsync(client, job, 2);

        await using var context = await chromium.RequireBrowser().NewContextAsync();
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);
        var circuit = await CircuitCut.InstallAsync(page);
        await page.GotoAsync($"{app.BaseUrl}/jobs/{job}");
        var jobPage = new JobPageObject(page);
        await jobPage.WaitUntilInteractiveAsync();
        await Assertions.Expect(jobPage.ProgressBar).ToHaveAttributeAsync("aria-valuenow", Text(before), new() { Timeout = 20_000 });

        await circuit.CutAsync();
        app.Plugin.Gated.Gate.Release(10);
        var after = await ProgressAtFrameAsync(client, job, 12);
        await page.WaitForTimeoutAsync(3_000);
        Assert.True(after > before, $"The progress went from {before} to {after}.");
        Assert.Equal(Text(before), await jobPage.ProgressBar.GetAttributeAsync("aria-valuenow"));

        circuit.Restore();
        await Assertions.Expect(jobPage.ProgressBar).ToHaveAttributeAsync("aria-valuenow", Text(after), new() { Timeout = 30_000 });
        app.Plugin.Gated.Gate.Release(100);
        await client.WaitForTerminalAsync(job);
    }

    /// <summary>The job's progress once its status reports <paramref name="frame"/> frames done (the gate holds it there).</summary>
    private static async Task<int> ProgressAtFrameAsync(HttpClient client, Guid job, int frame)
    {
        await client.WaitForStatusAsync(job, s => s.GetProperty("current_frame") is { ValueKind: JsonValueKind.Number } f && f.GetInt32() >= frame);
        return (await client.GetStatusAsync(job)).GetProperty("progress").GetInt32();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
