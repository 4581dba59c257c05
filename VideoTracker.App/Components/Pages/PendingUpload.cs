namespace VideoTracker.App.Components.Pages;

/// <summary>
/// This tab's last upload, as wwwroot/js/upload.js kept it for a New job page that opens while it runs or after it
/// ended unseen (the page was reloaded, or left): the file's name and size, the form's fields, and how it ended.
/// </summary>
public sealed record PendingUpload(string Id, string FileName, long FileSize, Dictionary<string, string>? Fields, UploadOutcome? Outcome, long Loaded, bool Running);

/// <summary>How the request ended: the server's answer (<see cref="Status"/> and <see cref="Body"/>), or none (<see cref="Failed"/>: "error" or "abort").</summary>
public sealed record UploadOutcome(int Status, string? Body, string? Failed);
