using Microsoft.Playwright;

namespace VideoTracker.Tests.EndToEnd;

/// <summary>
/// An upload from the New job page that loses its circuit on the way, in Debian's Chromium: the page hears how it
/// ended once the circuit is back, and a reloaded page (Blazor reloads it when the server restarted) says what
/// became of it and puts the settings back.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class UploadInterruptionTests(TestPluginKestrelAppFactory app, ChromiumFixture chromium)
    : IClassFixture<TestPluginKestrelAppFactory>, IClassFixture<ChromiumFixture>
{
    private async Task<IBrowserContext> NewContextAsync() =>
        await chromium.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 1400 } });

    /// <summary>
    /// A signed-in admin's New job form, its circuit cuttable, sent with the squares tool (it takes zones), a frame
    /// stride of 3, the counting scene's zones and a clip; its upload request is held, and returned.
    /// </summary>
    private async Task<(NewJobPageObject Form, CircuitCut Circuit, IRoute Upload, string Clip)> SubmitHeldAsync(IBrowserContext context, string clipName)
    {
        var page = await LoginPageObject.NewAdminPageAsync(context, app.BaseUrl);
        var circuit = await CircuitCut.InstallAsync(page);
        var form = new NewJobPageObject(page, app.BaseUrl);
        await form.OpenAsync();
        await form.PickToolAsync(TestPlugin.PluginId, SquaresClip.Tool.Id);
        await form.Option("frame_stride").FillAsync("3");
        await form.Option(CountingInputs.Zones).FillAsync(CountingScene.ZonesJson);
        var clip = TestClips.MovingSquare(app.Clips.Path, frames: 10, width: CountingScene.Width, height: CountingScene.Height, name: clipName);
        await form.ChooseFileAsync(clip);
        var upload = await HeldUpload.InstallAsync(page);
        await form.ClickSubmitAsync();
        return (form, circuit, await upload.RequestAsync(), clip);
    }

    private static async Task ExpectSettingsRestoredAsync(NewJobPageObject form)
    {
        await Assertions.Expect(form.Tool(SquaresClip.Tool.Id)).ToBeCheckedAsync();
        await Assertions.Expect(form.Option("frame_stride")).ToHaveValueAsync("3");
        await Assertions.Expect(form.Option(CountingInputs.Zones)).ToHaveValueAsync(CountingScene.ZonesJson);
    }

    [BrowserFact]
    public async Task Upload_WhenItFailsWhileTheCircuitIsDown_SaysSoOnceItIsBackAndTheFormWorks()
    {
        await using var context = await NewContextAsync();
        var (form, circuit, upload, clip) = await SubmitHeldAsync(context, "dropped-midway.avi");
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        form.Page.RequestFailed += (_, request) =>
        {
            if (request.Url.EndsWith("/ui/upload", StringComparison.Ordinal))
            {
                failed.TrySetResult();
            }
        };

        await circuit.CutAsync();
        await upload.AbortAsync("connectionreset");
        await failed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await form.Page.WaitForTimeoutAsync(500);   // the page's script has the failure while the circuit is down
        circuit.Restore();

        await Assertions.Expect(form.FormError).ToContainTextAsync("The upload failed part-way", new() { Timeout = 20_000 });
        await Assertions.Expect(form.SubmitButton).ToBeEnabledAsync();
        await Assertions.Expect(form.SelectedFile).ToContainTextAsync(Path.GetFileName(clip));
        await ExpectSettingsRestoredAsync(form);

        // The same file and settings go through once the connection is good.
        await form.Page.UnrouteAsync("**/ui/upload");
        var jobId = await form.SubmitAsync();
        using var client = app.CreateClient();
        var job = await client.GetJsonAsync($"/v1/jobs/{jobId}");
        Assert.Equal(3, job.GetProperty("options").GetProperty("frame_stride").GetInt32());
    }

    [BrowserFact]
    public async Task Upload_WhenTheServerCreatedTheJobWhileTheCircuitWasDownAndThePageReloads_SaysSoWithALink()
    {
        await using var context = await NewContextAsync();
        var (form, circuit, upload, clip) = await SubmitHeldAsync(context, "created-unseen.avi");

        await circuit.CutAsync();
        var response = await form.Page.RunAndWaitForResponseAsync(() => upload.ContinueAsync(), "**/ui/upload");
        Assert.True(response.Status == 202, await response.TextAsync());
        var jobId = (await response.JsonAsync())!.Value.GetProperty("job_id").GetString();
        await form.Page.WaitForFunctionAsync("() => performance.getEntriesByName('videotracker-upload').length > 0");   // upload.js has the answer
        await circuit.ReloadAsync(form.Page);
        await form.WaitUntilInteractiveAsync();

        await Assertions.Expect(form.Resumed).ToContainTextAsync($"Your upload of {Path.GetFileName(clip)} finished");
        await Assertions.Expect(form.ResumedJobLink).ToHaveAttributeAsync("href", $"jobs/{jobId}");
        await form.ResumedJobLink.ClickAsync();
        await Assertions.Expect(form.Page).ToHaveURLAsync($"{app.BaseUrl}/jobs/{jobId}");

        // Told once: the New job page opened again is a fresh form.
        await form.OpenAsync();
        await Assertions.Expect(form.SubmitButton).ToBeEnabledAsync();
        await Assertions.Expect(form.Resumed).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task Upload_WhenThePageReloadsBeforeTheServerAnswers_SaysItWasInterruptedWithTheSettingsBack()
    {
        await using var context = await NewContextAsync();
        var (form, _, _, clip) = await SubmitHeldAsync(context, "cut-short.avi");

        await form.Page.ReloadAsync();
        await form.WaitUntilInteractiveAsync();

        await Assertions.Expect(form.Resumed).ToContainTextAsync($"The upload of {Path.GetFileName(clip)} was interrupted");
        await Assertions.Expect(form.Resumed).ToContainTextAsync("Choose the file again");
        await ExpectSettingsRestoredAsync(form);
        await Assertions.Expect(form.SelectedFile).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task Upload_WhenThePageIsLeftAndOpenedAgain_ShowsItOnItsWayAndCancelsIt()
    {
        await using var context = await NewContextAsync();
        var (form, _, _, _) = await SubmitHeldAsync(context, "left-behind.avi");

        await form.Page.Locator("a[href='jobs']").First.ClickAsync();
        await Assertions.Expect(form.Page).ToHaveTitleAsync("Jobs · VideoTracker");
        await form.Page.Locator("a[href='./']").First.ClickAsync();
        await Assertions.Expect(form.Page).ToHaveTitleAsync("New job · VideoTracker");

        await Assertions.Expect(form.UploadStatus).ToContainTextAsync("Uploading…");
        await ExpectSettingsRestoredAsync(form);
        await form.CancelUploadAsync();
        await Assertions.Expect(form.FormError).ToHaveTextAsync("The upload was cancelled. Nothing was saved.");
        await Assertions.Expect(form.SubmitButton).ToBeEnabledAsync();
    }
}
