using Microsoft.JSInterop;

namespace VideoTracker.App.Components.Pages;

/// <summary>
/// The upload in flight: upload.js posts the file and reports its progress and its end here, once per upload id; the
/// page reads the server's answer (the job it created, or why it was refused).
/// </summary>
public sealed partial class NewJob
{
    private async Task CancelUploadAsync()
    {
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("cancelUpload");
        }
    }

    /// <summary>Whether a report from upload.js is about the upload this page is waiting for (not one it has heard the end of).</summary>
    private bool Awaits(string uploadId) => _uploading && string.Equals(uploadId, _uploadId, StringComparison.Ordinal);

    [JSInvokable]
    public Task OnUploadProgress(string uploadId, long loaded, long total) => InvokeAsync(() =>
    {
        if (!Awaits(uploadId))
        {
            return;
        }

        _uploadedBytes = loaded;
        _totalBytes = total;
        StateHasChanged();
    });

    /// <summary>The server answered: 202 with the new job, or a problem whose detail says what was wrong.</summary>
    [JSInvokable]
    public Task OnUploadFinished(string uploadId, int status, string body) => InvokeAsync(() =>
    {
        if (!Awaits(uploadId))
        {
            return;
        }

        _uploading = false;
        if (CreatedJob(status, body) is { } jobId)
        {
            Navigation.NavigateTo(JobLinks.Page(jobId));
            return;
        }

        _uploadedBytes = 0;
        _formError = RefusalMessage(status, body);
        if (TryRead(body, "option") is { } option && SelectedTool?.Manifest.Inputs.Any(i => i.Name == option) == true)
        {
            // The form checked the options by the same rules before the upload, so this is rare; still, mark the field.
            _optionErrors[option] = _formError;
        }

        StateHasChanged();
    });

    /// <summary>The connection broke or the person cancelled before the server answered.</summary>
    [JSInvokable]
    public Task OnUploadFailed(string uploadId, string reason) => InvokeAsync(() =>
    {
        if (!Awaits(uploadId))
        {
            return;
        }

        _uploading = false;
        _uploadedBytes = 0;
        _formError = reason == "abort"
            ? "The upload was cancelled. Nothing was saved."
            : "The upload failed part-way (the connection to the server was lost). Nothing was saved; check the connection and try again.";
        StateHasChanged();
    });

    /// <summary>The job a 202 from the upload created; null for any other answer.</summary>
    private static Guid? CreatedJob(int status, string body) =>
        status == 202 && TryRead(body, "job_id") is { } id && Guid.TryParse(id, out var jobId) ? jobId : null;

    private string RefusalMessage(int status, string body) =>
        UploadErrorMessage(status, SubmitErrorExtensions.ParseWire(TryRead(body, "error")), TryRead(body, "detail"), Jobs.MaxUploadBytes);

    /// <summary>
    /// What to tell the person, by the refusal's <see cref="SubmitError"/> kind (the upload's <c>error</c> member);
    /// by the HTTP status alone when the answer came from elsewhere (a proxy's 413, a crash's 500). A 413 without the
    /// kind is a reverse proxy's (nginx's <c>client_max_body_size</c> is 1 MiB unless set): the page sends only files
    /// within this server's limit, so naming that limit would blame the wrong one.
    /// </summary>
    public static string UploadErrorMessage(int status, SubmitError? error, string? detail, long maxBytes) => (error, status) switch
    {
        (SubmitError.TooLarge, _) => $"The file is larger than the upload limit of {DisplayFormat.Bytes(maxBytes)}.",
        (null, 413) => "A proxy in front of VideoTracker refused the file as too large, before the server saw it "
            + $"(VideoTracker itself takes files up to {DisplayFormat.Bytes(maxBytes)}). Ask the server's administrator "
            + "to raise the proxy's upload limit (for nginx, client_max_body_size).",
        (SubmitError.NotAVideo, _) => detail ?? "The server could not read this file as a video (unknown container or codec). Choose another file.",
        (SubmitError.ExpiredForm, _) => "The page has expired. Reload it and try again.",
        (SubmitError.QueueFull or SubmitError.InsufficientStorage, _) or (null, 503 or 507) => detail ?? "The server is busy. Try again in a little while.",
        (SubmitError.BadRequest, _) or (null, >= 400 and < 500) => detail ?? "The server refused the upload.",
        _ => "The upload failed on the server. Try again; if it keeps failing, check the server's log.",
    };

    private static string? TryRead(string body, string property)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
