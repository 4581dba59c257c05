using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using VideoTracker.App.Components.Pages;

namespace VideoTracker.Tests.Components;

/// <summary>The app with the test plugin and a 1000-byte upload limit, for the form's real job service.</summary>
public sealed class SmallUploadAppFactory : TestPluginAppFactory
{
    public SmallUploadAppFactory() => Settings["Storage:MaxUploadBytes"] = "1000";
}

/// <summary>The new-job form against the app's real job service, plugin registry and validation.</summary>
public sealed class NewJobFormTests : MudComponentTest, IClassFixture<SmallUploadAppFactory>
{
    /// <summary>What the page says of a 413 that is not VideoTracker's JSON: a reverse proxy's, which has its own limit.</summary>
    private const string ProxyRefusedTooLarge = "A proxy in front of VideoTracker refused the file as too large, before the server saw it "
        + "(VideoTracker itself takes files up to 1000 bytes). Ask the server's administrator to raise the proxy's upload limit (for nginx, client_max_body_size).";

    public NewJobFormTests(SmallUploadAppFactory factory)
    {
        // The real job service, seen by a signed-in member (the app's own provider only works inside a circuit).
        var scope = factory.Services.CreateScope();
        Services.AddSingleton<IJobService>(ActivatorUtilities.CreateInstance<JobService>(scope.ServiceProvider, SignedInUser.Member(factory.Services)));
    }

    private IRenderedComponent<NewJob> RenderForm(string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/" + query);
        return RenderWithProviders<NewJob>();
    }

    [Fact]
    public void Form_ShowsTheUploadLimit()
    {
        var cut = RenderForm();

        Assert.Contains("up to 1000 bytes", cut.Find("[data-testid=upload-limit]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Form_WhenToolIsUnavailable_ShowsItDisabledWithItsReason()
    {
        var cut = RenderForm($"?plugin_id={TestPlugin.PluginId}&tool=gated");

        var unavailable = cut.Find("input[data-testid=tool-unavailable]");
        Assert.True(unavailable.HasAttribute("disabled"));
        Assert.Contains("the widget model is not installed", cut.Find("[data-testid=tool-unavailable-reason]").TextContent, StringComparison.Ordinal);
        Assert.False(cut.Find("input[data-testid=tool-gated]").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("[data-testid=tool-image_only]"));
    }

    [Fact]
    public void Form_WhenFileIsNotAVideo_SaysSo()
    {
        var cut = RenderForm();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("hello", "notes.txt", contentType: "text/plain"));

        cut.WaitForAssertion(() => Assert.Contains("'notes.txt' is not a video file", cut.Find("[data-testid=file-error]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Form_WhenFileIsTooLarge_SaysSoWithTheLimit()
    {
        var cut = RenderForm();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[2000], "big.mp4", contentType: "video/mp4"));

        cut.WaitForAssertion(() => Assert.Equal(
            "'big.mp4' is 2 KiB, larger than the upload limit of 1000 bytes.",
            cut.Find("[data-testid=file-error]").TextContent.Trim()));
    }

    [Fact]
    public void Form_WhenSubmittedWithoutFile_AsksForOne()
    {
        var cut = RenderForm();

        cut.Find("[data-testid=submit-job]").Click();

        Assert.Equal("Choose a video file first.", cut.Find("[data-testid=file-error]").TextContent.Trim());
    }

    [Fact]
    public void Form_WhenLinkNamesUnknownTool_SaysSo()
    {
        var cut = RenderForm("?plugin_id=opencv-classic&tool=no_such_tool");

        Assert.Contains("Unknown tool 'no_such_tool' in plugin 'opencv-classic'", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ChosenFile_HasARemoveButtonNamedAfterTheFile_ThatRemovesIt()
    {
        var cut = RenderForm("?plugin_id=opencv-classic&tool=video_motion_detection");
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[100], "clip40.mp4", contentType: "video/mp4"));
        cut.WaitForAssertion(() => Assert.Contains("clip40.mp4", cut.Find("[data-testid=selected-file]").TextContent, StringComparison.Ordinal));

        var dropZone = cut.Find("[data-testid=upload-drop-zone]");
        Assert.DoesNotContain(dropZone.QuerySelectorAll("button"), b => b.GetAttribute("aria-label") == "Close");
        var remove = cut.Find("button[aria-label='Remove clip40.mp4']");

        remove.Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=selected-file]")));
        Assert.Empty(cut.FindAll("button[aria-label='Remove clip40.mp4']"));
    }

    [Fact]
    public void Form_WholeNumberOptions_AskPhonesForTheirDigitKeyboard_DecimalOnesForTheFullOne()
    {
        var cut = RenderForm("?plugin_id=opencv-classic&tool=video_motion_detection");

        // Text fields, not type=number (which drops a comma); a decimal pad could offer only a locale's comma.
        Assert.Equal("numeric", cut.Find("input[data-testid=option-min_area]").GetAttribute("inputmode"));
        Assert.Equal("text", cut.Find("input[data-testid=option-var_threshold]").GetAttribute("inputmode"));
        Assert.Equal("text", cut.Find("input[data-testid=option-min_area]").GetAttribute("type"));
    }

    [Fact]
    public void Form_WhenOptionIsOutOfRange_ShowsTheFieldErrorAndDoesNotUpload()
    {
        var cut = RenderForm("?plugin_id=opencv-classic&tool=video_motion_detection");
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[100], "clip.avi", contentType: "video/x-msvideo"));
        cut.WaitForAssertion(() => Assert.Contains("clip.avi", cut.Find("[data-testid=selected-file]").TextContent, StringComparison.Ordinal));

        cut.Find("input[data-testid=option-min_area], [data-testid=option-min_area] input").Input("0");
        cut.Find("[data-testid=submit-job]").Click();

        // Named as the form labels the field (the manifest's title for min_area), not by the option's key.
        var field = cut.Find("input[data-testid=option-min_area]").Closest(".mud-input-control")!;
        cut.WaitForAssertion(() => Assert.Equal("Minimum blob area must be between 1 and 10000000, not 0.", field.QuerySelector(".mud-input-helper-text")?.TextContent.Trim()));
        Assert.Contains("Minimum blob area", field.QuerySelector("label")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("'min_area'", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("Some options are not valid; see the highlighted fields.", cut.Find("[data-testid=form-error]").TextContent.Trim());
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier == "startUpload");
    }

    [Fact]
    public void Form_WhenTheServersRulesRefuseAnOption_MarksItsFieldAndNamesItByItsLabel()
    {
        var cut = RenderForm($"?plugin_id={TestPlugin.PluginId}&tool={SquaresClip.Tool.Id}");
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[100], "clip.avi", contentType: "video/x-msvideo"));
        cut.WaitForAssertion(() => Assert.Contains("clip.avi", cut.Find("[data-testid=selected-file]").TextContent, StringComparison.Ordinal));

        // Any text passes the field's own check; the anchor's choices are the submit's rule (the refusal's option, not its text, says which field).
        cut.Find("input[data-testid=option-anchor]").Input("feet");
        cut.Find("[data-testid=submit-job]").Click();

        const string Expected = "Anchor must be one of bottom_center, center, top_center, not 'feet'.";
        cut.WaitForAssertion(() => Assert.Equal(Expected, cut.Find("[data-testid=form-error]").TextContent.Trim()));
        var field = cut.Find("input[data-testid=option-anchor]").Closest(".mud-input-control")!;
        Assert.Equal(Expected, field.QuerySelector(".mud-input-helper-text")?.TextContent.Trim());
        Assert.Contains("mud-input-error", field.InnerHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier == "startUpload");

        // Changing the value clears the mark.
        cut.Find("input[data-testid=option-anchor]").Input("center");
        Assert.DoesNotContain("mud-input-error", cut.Find("input[data-testid=option-anchor]").Closest(".mud-input-control")!.InnerHtml, StringComparison.Ordinal);
    }

    /// <summary>Chooses a 100-byte clip for the motion tool and submits; returns upload.js's startUpload call.</summary>
    private JSRuntimeInvocation StartUpload(IRenderedComponent<NewJob> cut)
    {
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[100], "clip.avi", contentType: "video/x-msvideo"));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=selected-file]")));
        cut.Find("[data-testid=submit-job]").Click();
        cut.WaitForState(() => JSInterop.Invocations.Any(i => i.Identifier == "startUpload"));
        return JSInterop.Invocations.Single(i => i.Identifier == "startUpload");
    }

    [Fact]
    public void Form_WhenValid_StartsTheBrowserUploadWithToolAndOptions()
    {
        var cut = RenderForm("?plugin_id=opencv-classic&tool=video_motion_detection");

        var call = StartUpload(cut);

        Assert.Equal("ui/upload", call.Arguments[1]);
        var fields = Assert.IsType<Dictionary<string, string>>(call.Arguments[3]);
        Assert.Equal("opencv-classic", fields["plugin_id"]);
        Assert.Equal("video_motion_detection", fields["tool"]);
        Assert.Equal("400", fields["min_area"]);
        Assert.Equal("clip.avi", call.Arguments[4]);
        Assert.Equal(100L, call.Arguments[5]);
    }

    [Theory]
    [InlineData(413, null, null, ProxyRefusedTooLarge)]   // nginx's own HTML 413 (client_max_body_size)
    [InlineData(413, "too_large", "The file is larger than the upload limit of 1000 bytes.", "The file is larger than the upload limit of 1000 bytes.")]
    [InlineData(400, "not_a_video", "The file has no video stream: it holds only audio (aac).", "The file has no video stream: it holds only audio (aac).")]
    [InlineData(400, "not_a_video", null, "The server could not read this file as a video (unknown container or codec). Choose another file.")]
    [InlineData(400, "expired_form", "The antiforgery token is missing or invalid. Reload the page and upload again.", "The page has expired. Reload it and try again.")]
    [InlineData(400, "bad_request", "Unknown tool 'x'.", "Unknown tool 'x'.")]
    [InlineData(503, "queue_full", "The job queue is full. Try again in a little while.", "The job queue is full. Try again in a little while.")]
    [InlineData(500, null, null, "The upload failed on the server. Try again; if it keeps failing, check the server's log.")]
    public void UploadErrorMessage_ForServerAnswers_IsClear(int status, string? error, string? detail, string expected) =>
        Assert.Equal(expected, NewJob.UploadErrorMessage(status, SubmitErrorExtensions.ParseWire(error), detail, 1000));

    [Fact]
    public async Task Form_WhenUploadBreaksHalfway_SaysNothingWasSaved()
    {
        var cut = RenderForm("?plugin_id=opencv-classic&tool=video_motion_detection");
        var uploadId = Assert.IsType<string>(StartUpload(cut).Arguments[6]);

        await cut.InvokeAsync(() => cut.Instance.OnUploadFailed(uploadId, "error"));

        Assert.StartsWith("The upload failed part-way", cut.Find("[data-testid=form-error]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.False(cut.Find("[data-testid=submit-job]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Form_WhenToldOfAnotherUploadOrTwice_HearsOnlyTheFirstEndOfItsOwn()
    {
        var cut = RenderForm("?plugin_id=opencv-classic&tool=video_motion_detection");
        var uploadId = Assert.IsType<string>(StartUpload(cut).Arguments[6]);

        // upload.js tells the outcome again until a call gets through; an earlier upload's may come late.
        await cut.InvokeAsync(() => cut.Instance.OnUploadFailed("an-earlier-upload", "error"));
        Assert.Empty(cut.FindAll("[data-testid=form-error]"));
        Assert.True(cut.Find("[data-testid=submit-job]").HasAttribute("disabled"));

        await cut.InvokeAsync(() => cut.Instance.OnUploadFailed(uploadId, "abort"));
        await cut.InvokeAsync(() => cut.Instance.OnUploadFailed(uploadId, "error"));
        await cut.InvokeAsync(() => cut.Instance.OnUploadFinished(uploadId, 202, $$"""{"job_id": "{{Guid.NewGuid()}}"}"""));

        Assert.Equal("The upload was cancelled. Nothing was saved.", cut.Find("[data-testid=form-error]").TextContent.Trim());
        Assert.EndsWith("/?plugin_id=opencv-classic&tool=video_motion_detection", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Form_WhenAnUploadWasRefusedWhileThePageWasAway_SaysWhyAndPutsTheSettingsBack()
    {
        var upload = JSInterop.SetupModule("./js/upload.js");
        var fields = new Dictionary<string, string> { ["plugin_id"] = "opencv-classic", ["tool"] = "video_motion_detection", ["device"] = "cpu", ["min_area"] = "777" };
        upload.Setup<PendingUpload?>("resumeUpload", _ => true)
            .SetResult(new PendingUpload("an-upload", "big.avi", 500, fields, new UploadOutcome(413, "<html><head><title>413 Request Entity Too Large</title></head></html>", null), 0, Running: false));

        var cut = RenderForm();

        cut.WaitForAssertion(() => Assert.Equal(
            $"The upload of big.avi was refused: {ProxyRefusedTooLarge} Choose the file again; the settings are as you left them.",
            cut.Find("[data-testid=upload-resumed]").TextContent.Trim()));
        Assert.True(cut.Find("input[data-testid=tool-video_motion_detection]").HasAttribute("checked"));
        Assert.Equal("777", cut.Find("input[data-testid=option-min_area]").GetAttribute("value"));
    }
}
