using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using VideoTracker.Core.Counting;
using VideoTracker.Core.Storage;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.Core.Jobs;

/// <summary>An upload written to the staging folder, not yet a job.</summary>
public sealed record StagedUpload(string Path, long Size, string OriginalFileName);

/// <summary>What a person asked for: a staged clip, a tool, a device and raw option values.</summary>
public sealed record SubmitCommand(
    StagedUpload Upload,
    string? PluginId,
    string? Tool,
    string? Device,
    IReadOnlyDictionary<string, string?> Options)
{
    /// <summary>The username recorded as the job's owner; null for the service key or with accounts off.</summary>
    public string? Owner { get; init; }
}

/// <summary>A tool resolved and its options validated, ready to run.</summary>
public sealed record ResolvedTool(IVideoPlugin Plugin, IVideoTool Tool, string Device, ToolOptions Options);

/// <summary>
/// The one way a clip becomes a job, shared by the API and the UI: stream the upload to disk with a size
/// limit, validate the tool, device, options and the clip itself, then save the job as pending and queue
/// it. Whatever is refused leaves no file and no row behind.
/// </summary>
public sealed class JobSubmitter(
    JobStore store,
    JobQueue queue,
    IJobSignals signals,
    PluginRegistry plugins,
    DeviceCatalog devices,
    DataPaths paths,
    IOptions<StorageOptions> storage,
    WebhookUrlGuard webhookGuard,
    WebhookOutbox webhooks,
    UnreadableClips unreadable,
    TimeProvider time)
{
    /// <summary>The job option, taken by every tool, that names a URL to notify when the job ends.</summary>
    public const string WebhookUrlOption = "webhook_url";

    public long MaxUploadBytes => storage.Value.MaxUploadBytes;

    /// <summary>Refuses early when the disk is nearly full or the queue has no room.</summary>
    public SubmitResult.Refused? CheckCapacity()
    {
        // Unknown free space is no reason to refuse.
        if (DiskFull.FreeBytes(paths.Root) < storage.Value.MinFreeBytes)
        {
            return new SubmitResult.Refused(SubmitError.InsufficientStorage, "The server is low on disk space and cannot take new uploads right now.");
        }

        return queue.Count >= queue.Capacity
            ? new SubmitResult.Refused(SubmitError.QueueFull, "The job queue is full. Try again in a little while.")
            : null;
    }

    /// <summary>
    /// Stages a file already on the server (a job's clip, run again): a hard link in the staging folder where the file
    /// system allows one, so that running a 2-GiB clip again neither copies it nor takes its space twice, and a copy
    /// otherwise. A job never writes its clip after the upload, so two jobs can share one. Null when the file is over
    /// the upload limit; <see cref="FileNotFoundException"/> when it is gone.
    /// </summary>
    public async Task<StagedUpload?> StageExistingAsync(string path, string? originalFileName, CancellationToken cancellationToken)
    {
        var size = new FileInfo(path).Length;
        if (size > MaxUploadBytes)
        {
            return null;
        }

        Directory.CreateDirectory(paths.StagingDirectory);
        // A hard link shares the clip's inode and times (stamping it would change the source job's clip): its name
        // says when it was staged, for the staging sweep.
        var staged = Path.Combine(paths.StagingDirectory, StagingSweep.LinkName(time.GetUtcNow()));
        if (!OperatingSystem.IsWindows() && NativeLink(path, staged) == 0)
        {
            return new StagedUpload(staged, size, DisplayName(originalFileName));
        }

        var clip = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (clip.ConfigureAwait(false))
        {
            return await StageAsync(clip, originalFileName, cancellationToken).ConfigureAwait(false);
        }
    }

    // DllImport, not LibraryImport, as for setenv in OnnxRuntimeEnvironment: one call is not worth unsafe code.
    [DllImport("libc", EntryPoint = "link")]
    private static extern int NativeLink([MarshalAs(UnmanagedType.LPUTF8Str)] string existingPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    /// <summary>
    /// Streams an upload to the staging folder. Returns null and deletes the partial file when it grows
    /// past <see cref="StorageOptions.MaxUploadBytes"/>.
    /// </summary>
    public async Task<StagedUpload?> StageAsync(Stream content, string? originalFileName, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(paths.StagingDirectory);
        var path = Path.Combine(paths.StagingDirectory, $"{Guid.NewGuid():N}.part");
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        long size = 0;
        var ok = false;
        try
        {
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    size += read;
                    if (size > MaxUploadBytes)
                    {
                        return null;
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }

            ok = true;
            return new StagedUpload(path, size, DisplayName(originalFileName));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!ok)
            {
                Discard(path);
            }
        }
    }

    /// <summary>
    /// Resolves plugin, tool and device and validates the options, without touching any file. Refused when one is wrong,
    /// naming the option when an option's value is what is wrong.
    /// </summary>
    public OptionsResult<ResolvedTool> Resolve(string? pluginId, string? toolId, string? device, IReadOnlyDictionary<string, string?> rawOptions)
    {
        if (string.IsNullOrWhiteSpace(pluginId))
        {
            return Refuse("The field 'plugin_id' is required.");
        }

        if (string.IsNullOrWhiteSpace(toolId))
        {
            return Refuse("The field 'tool' is required.");
        }

        var plugin = plugins.FindPlugin(pluginId);
        if (plugin is null)
        {
            return Refuse($"Unknown plugin '{pluginId}'. Installed plugins: {string.Join(", ", plugins.Plugins.Select(p => p.Id))}.");
        }

        var tool = plugins.FindTool(pluginId, toolId);
        if (tool is null)
        {
            return Refuse($"Unknown tool '{toolId}' in plugin '{pluginId}'. Its tools: {string.Join(", ", plugin.Tools.Select(t => t.Manifest.Id))}.");
        }

        if (!tool.Manifest.AcceptsVideo)
        {
            return Refuse($"The tool '{toolId}' does not take video input.");
        }

        var availability = tool.GetAvailability();
        if (!availability.Available)
        {
            return Refuse($"The tool '{toolId}' is not available: {availability.Reason}");
        }

        device = string.IsNullOrWhiteSpace(device) ? DeviceCatalog.Cpu : device.Trim().ToLowerInvariant();
        if (!devices.IsAvailable(device))
        {
            return Refuse($"The device '{device}' is not available on this server. Available devices: {string.Join(", ", devices.Devices)}.");
        }

        var toolOptions = rawOptions.Where(o => o.Key != WebhookUrlOption).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        if (ToolOptions.Bind(tool.Manifest.Inputs, toolOptions).Failed(out var refused, out var options))
        {
            return refused.As<ResolvedTool>();
        }

        // Zones are checked against the frame once the clip is known; everything else about them here.
        if (CountingInputs.IsCountingTool(tool.Manifest.Inputs)
            && CountingInputs.Read(options, CountingInputs.FrameNotKnown, CountingInputs.FrameNotKnown) is OptionsResult<CountingSettings>.Refused zones)
        {
            return zones.As<ResolvedTool>();
        }

        return new OptionsResult<ResolvedTool>.Bound(new ResolvedTool(plugin, tool, device, options));
    }

    private static OptionsResult<ResolvedTool>.Refused Refuse(string detail) => new(detail);

    /// <summary>Validates everything, then saves the job as pending and queues it. The staged file is moved or deleted.</summary>
    public async Task<SubmitResult> SubmitAsync(SubmitCommand command, CancellationToken cancellationToken)
    {
        var upload = command.Upload;
        if (Resolve(command.PluginId, command.Tool, command.Device, command.Options).Failed(out var refusedOptions, out var resolved))
        {
            Discard(upload.Path);
            return SubmitResult.Refused.FromOptions(refusedOptions);
        }

        var webhookUrl = command.Options.GetValueOrDefault(WebhookUrlOption)?.Trim();
        if (!string.IsNullOrEmpty(webhookUrl) && await webhookGuard.CheckAsync(webhookUrl, cancellationToken).ConfigureAwait(false) is { } refusedUrl)
        {
            Discard(upload.Path);
            var option = new OptionError(WebhookUrlOption, $"is refused: {refusedUrl}");
            return new SubmitResult.Refused(SubmitError.BadRequest, option.Detail) { Option = option };
        }

        if (upload.Size == 0)
        {
            Discard(upload.Path);
            return new SubmitResult.Refused(SubmitError.BadRequest, "The uploaded file is empty.");
        }

        if (VideoProbe.TryProbe(upload.Path, out var probeError, out var tooLarge) is not { } info)
        {
            try
            {
                return new SubmitResult.Refused(
                    SubmitError.NotAVideo, tooLarge ? probeError! : await unreadable.ExplainAsync(upload.Path, probeError!, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                Discard(upload.Path);
            }
        }

        if (CountingInputs.IsCountingTool(resolved.Tool.Manifest.Inputs)
            && CountingInputs.Read(resolved.Options, info.Width, info.Height) is OptionsResult<CountingSettings>.Refused zones)
        {
            Discard(upload.Path);
            return SubmitResult.Refused.FromOptions(zones);
        }

        if (CheckCapacity() is { } refused)
        {
            Discard(upload.Path);
            return refused;
        }

        var jobId = Guid.NewGuid();
        var jobDirectory = paths.JobDirectory(jobId);
        var stored = Path.Combine(jobDirectory, "input" + SafeExtension(upload.OriginalFileName));
        var now = store.UtcNow;
        var job = new VideoJob
        {
            JobId = jobId,
            PluginId = resolved.Plugin.Id,
            Tool = resolved.Tool.Manifest.Id,
            Device = resolved.Device,
            Status = JobStatus.Pending,
            Progress = 0,
            OptionsJson = resolved.Options.ToJson(),
            OriginalFileName = upload.OriginalFileName,
            StoredFilePath = paths.ToRelative(stored),
            FileSizeBytes = upload.Size,
            Owner = command.Owner,
            CreatedAt = now,
            UpdatedAt = now,
        };

        try
        {
            Directory.CreateDirectory(jobDirectory);
            File.Move(upload.Path, stored);
            await store.AddAsync(job, cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(webhookUrl))
            {
                await webhooks.AddJobUrlAsync(jobId, webhookUrl, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Discard(upload.Path);
            DeleteQuietly(jobDirectory);
            if (DiskFull.Is(ex))
            {
                return new SubmitResult.Refused(SubmitError.InsufficientStorage, DiskFull.RequestDetail);
            }

            throw;
        }

        if (!await signals.PendingAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            await store.DeleteAsync(jobId, CancellationToken.None).ConfigureAwait(false);
            Directory.Delete(jobDirectory, recursive: true);
            return new SubmitResult.Refused(SubmitError.QueueFull, "The job queue is full. Try again in a little while.");
        }

        return new SubmitResult.Accepted(job);
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: an empty folder without a job row harms nothing.
        }
    }

    public static void Discard(string stagedPath)
    {
        try
        {
            File.Delete(stagedPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The staging sweep deletes a leftover part file once it is a day old (StagingSweep).
        }
    }

    /// <summary>
    /// The client's name as display text: no folders, no control or invisible format characters (bidi overrides and
    /// isolates, zero-width characters, the BOM: a name could read as another), at most 255 characters, with its extension.
    /// </summary>
    public static string DisplayName(string? originalFileName)
    {
        if (string.IsNullOrWhiteSpace(originalFileName))
        {
            return "upload";
        }

        var name = originalFileName.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = string.Concat(name.EnumerateRunes().Where(r => !Rune.IsControl(r) && Rune.GetUnicodeCategory(r) != UnicodeCategory.Format)).Trim();
        if (name.Length > 255)
        {
            // The stem is cut, so that the name keeps its extension (a long one is no extension).
            var extension = Path.GetExtension(name) is { Length: <= 16 } e ? e : string.Empty;
            var stem = name[..(255 - extension.Length)];
            if (char.IsHighSurrogate(stem[^1]))
            {
                stem = stem[..^1];
            }

            name = stem + extension;
        }

        return name.Length == 0 || name is "." or ".." ? "upload" : name;
    }

    private static string SafeExtension(string displayName)
    {
        var extension = Path.GetExtension(displayName);
        return VideoFileTypes.Extensions.Contains(extension) ? extension.ToLowerInvariant() : ".video";
    }
}
