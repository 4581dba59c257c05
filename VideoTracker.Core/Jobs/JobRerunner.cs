using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// What to change when a job runs again: another plugin, tool or device (null keeps the job's own), and options
/// as raw texts, like form fields (a blank value goes back to the default).
/// </summary>
public sealed record RerunCommand(string? PluginId, string? Tool, string? Device, IReadOnlyDictionary<string, string?> Options)
{
    /// <summary>The username recorded as the new job's owner.</summary>
    public string? Owner { get; init; }
}

/// <summary>
/// Runs a job again on its own clip, with other options or another tool, without uploading the clip again: the
/// stored clip is staged (linked, or copied) and submitted like an upload, with every check of a submit.
/// With the same tool the job's options are kept, and the command changes only those it names; with another
/// tool, options start from that tool's defaults. A job's <c>webhook_url</c> is not carried over.
/// </summary>
public sealed class JobRerunner(JobSubmitter submitter, JobFiles files)
{
    public const string ClipGoneDetail = "The clip of this job is no longer on the server.";

    /// <summary>The audit trail's detail of a job submitted by running <paramref name="sourceId"/> again.</summary>
    public static string AuditDetail(VideoJob job, Guid sourceId)
    {
        ArgumentNullException.ThrowIfNull(job);
        return $"{job.PluginId}/{job.Tool}, again from {sourceId}";
    }

    public async Task<SubmitResult> RerunAsync(VideoJob source, RerunCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(command);
        var pluginId = string.IsNullOrWhiteSpace(command.PluginId) ? source.PluginId : command.PluginId;
        var tool = string.IsNullOrWhiteSpace(command.Tool) ? source.Tool : command.Tool;
        var device = string.IsNullOrWhiteSpace(command.Device) ? source.Device : command.Device;
        var options = pluginId == source.PluginId && tool == source.Tool
            ? ToolOptions.RawTexts(source.OptionsJson)
            : new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in command.Options)
        {
            options[name] = value;
        }

        // Refuse what a submit would refuse before staging what may be gigabytes (copied where it cannot be linked).
        if (submitter.CheckCapacity() is { } full)
        {
            return full;
        }

        if (submitter.Resolve(pluginId, tool, device, options) is OptionsResult<ResolvedTool>.Refused refused)
        {
            return SubmitResult.Refused.FromOptions(refused);
        }

        StagedUpload? staged;
        try
        {
            staged = await submitter.StageExistingAsync(files.InputPath(source), source.OriginalFileName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new SubmitResult.Refused(SubmitError.ClipGone, ClipGoneDetail);
        }
        catch (IOException ex) when (DiskFull.Is(ex))
        {
            return new SubmitResult.Refused(SubmitError.InsufficientStorage, DiskFull.RequestDetail);
        }

        return staged is null
            ? new SubmitResult.Refused(SubmitError.TooLarge, "The clip is larger than this server's upload limit (Storage:MaxUploadBytes).")
            : await submitter.SubmitAsync(new SubmitCommand(staged, pluginId, tool, device, options) { Owner = command.Owner }, cancellationToken).ConfigureAwait(false);
    }
}
