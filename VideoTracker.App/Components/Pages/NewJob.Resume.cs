using Microsoft.JSInterop;

namespace VideoTracker.App.Components.Pages;

/// <summary>
/// An upload the page did not see end. The circuit can go while the file is on its way (a network drop, a server
/// restart); Blazor then reloads the page, and only the browser knows of the upload. The page asks upload.js for it
/// when it opens, says how it ended, and puts back the settings it was sent with.
/// </summary>
public sealed partial class NewJob
{
    /// <summary>What the page says of such an upload: the job it created, or why to choose the file again.</summary>
    private sealed record ResumedUpload(string FileName, Guid? JobId, string? Text);

    private ResumedUpload? _resumed;

    private async Task<IJSObjectReference> UploadModuleAsync()
    {
        _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/upload.js");
        _self ??= DotNetObjectReference.Create(this);
        return _module;
    }

    private async Task ResumeUploadAsync()
    {
        var module = await UploadModuleAsync();
        PendingUpload? pending;
        try
        {
            pending = await module.InvokeAsync<PendingUpload?>("resumeUpload", _self);
        }
        catch (JsonException)
        {
            return;   // not what upload.js keeps: nothing to resume
        }

        if (pending is null)
        {
            return;
        }

        _uploadId = pending.Id;
        if (pending.Outcome is { Body: { } body } outcome && CreatedJob(outcome.Status, body) is { } jobId)
        {
            _resumed = new ResumedUpload(pending.FileName, jobId, null);
            return;
        }

        var fields = pending.Fields ?? [];
        ApplySettings(
            fields.GetValueOrDefault(SubmitFieldNames.PluginId),
            fields.GetValueOrDefault(SubmitFieldNames.Tool),
            fields.GetValueOrDefault(SubmitFieldNames.Device),
            fields.Select(f => KeyValuePair.Create(f.Key, (string?)f.Value)));
        if (pending.Running)
        {
            // Still on its way (the page was left and opened again): this page shows it, can cancel it, and hears how it ends.
            _uploading = true;
            _uploadedBytes = pending.Loaded;
            _totalBytes = pending.FileSize;
            return;
        }

        _resumed = new ResumedUpload(pending.FileName, null, pending.Outcome switch
        {
            { Failed: "abort" } => $"The upload of {pending.FileName} was cancelled. Nothing was saved.",
            { Failed: null } answered => $"The upload of {pending.FileName} was refused: {RefusalMessage(answered.Status, answered.Body ?? string.Empty)} Choose the file again; the settings are as you left them.",
            _ => $"The upload of {pending.FileName} was interrupted before the server answered. Choose the file again; the settings are as you left them.",
        });
    }
}
