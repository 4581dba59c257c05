using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.JSInterop;
using MudBlazor;
using VideoTracker.App.Components.Services;

namespace VideoTracker.App.Components.Pages;

/// <summary>
/// The new-job form. The file itself never crosses the SignalR circuit: the browser posts it straight to
/// <see cref="JobLinks.UploadUrl"/> (wwwroot/js/upload.js) and reports progress back here.
/// </summary>
public sealed partial class NewJob
{
    /// <summary>What the file picker offers; the server still probes the clip itself.</summary>
    public static string AcceptedTypes => VideoFileTypes.AcceptAttribute;

    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    /// <summary>An option the server's rules refused at submit (by the refusal's option, not its text), and what to say under its field.</summary>
    private readonly Dictionary<string, string> _optionErrors = new(StringComparer.Ordinal);
    private ElementReference _dropZone;
    private MudForm? _optionsForm;
    private IJSObjectReference? _module;
    private DotNetObjectReference<NewJob>? _self;
    private IBrowserFile? _file;
    private MudFileUpload<IBrowserFile>? _upload;
    private string? _fileError;
    private string? _formError;
    private string? _pluginId;
    private string? _toolId;
    private string? _device;
    private bool _uploading;
    private bool _rerunning;

    /// <summary>The upload the page started or took over; upload.js names it in each report, so a late or repeated report of another is ignored.</summary>
    private string? _uploadId;
    private long _uploadedBytes;
    private long _totalBytes;

    [Inject] private IJobService Jobs { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>Preselects a plugin (deep links such as <c>/?plugin_id=opencv-classic&amp;tool=video_motion_detection</c>).</summary>
    [SupplyParameterFromQuery(Name = "plugin_id")] public string? PluginQuery { get; set; }

    [SupplyParameterFromQuery(Name = "tool")] public string? ToolQuery { get; set; }

    /// <summary>A job to run again (<c>/?from={job id}</c>, the job page's "Run again"): its clip, tool and options, ready to change.</summary>
    [SupplyParameterFromQuery(Name = "from")] public string? FromQuery { get; set; }

    private string Heading => _source is null ? "New job" : "Run again";

    private IVideoPlugin? SelectedPlugin => Jobs.Plugins.FirstOrDefault(p => p.Id == _pluginId);

    private IVideoTool? SelectedTool => SelectedPlugin?.Tools.FirstOrDefault(t => t.Manifest.Id == _toolId);

    private string SizeLimitText => DisplayFormat.Bytes(Jobs.MaxUploadBytes);

    private double UploadPercent => _totalBytes > 0 ? Math.Round(100.0 * _uploadedBytes / _totalBytes, 1) : 0;

    private string UploadStatusText => _uploadedBytes >= _totalBytes && _totalBytes > 0
        ? "Upload complete. Checking the clip and starting the job…"
        : $"Uploading… {UploadPercent.ToString("0", CultureInfo.InvariantCulture)}% ({DisplayFormat.Bytes(_uploadedBytes)} of {DisplayFormat.Bytes(_totalBytes)})";

    /// <summary>Null until known; viewers see no upload controls at all.</summary>
    private bool? _canSubmit;

    /// <summary>The job whose clip is used when no file is chosen; null for a fresh upload.</summary>
    private JobView? _source;

    protected override async Task OnInitializedAsync()
    {
        _canSubmit = await Jobs.CanSubmitAsync();
        if (FromQuery is not null)
        {
            await LoadSourceAsync(FromQuery);
        }

        if (_canSubmit is true && RendererInfo.IsInteractive)
        {
            // An upload of this tab that the page did not see end: the page was reloaded or left while it ran.
            await ResumeUploadAsync();
        }
    }

    private async Task LoadSourceAsync(string from)
    {
        _source = Guid.TryParse(from, out var sourceId) ? await Jobs.GetJobAsync(sourceId) : null;
        if (_source is null)
        {
            _formError = "The job to run again is not there any more. Choose a video file instead.";
            return;
        }

        ApplySettings(_source.Job.PluginId, _source.Job.Tool, _source.Job.Device, ToolOptions.RawTexts(_source.Job.OptionsJson));
    }

    /// <summary>Settings chosen before (a job run again, an upload cut short): the tool and device, then the options over the tool's defaults.</summary>
    private void ApplySettings(string? pluginId, string? toolId, string? device, IEnumerable<KeyValuePair<string, string?>> options)
    {
        _pluginId = pluginId;
        SelectTool(toolId);
        _device = device is not null && Jobs.Devices.Contains(device) ? device : _device;
        foreach (var (name, value) in options.Where(o => _options.ContainsKey(o.Key)))
        {
            _options[name] = value ?? string.Empty;
        }
    }

    protected override void OnInitialized()
    {
        _device = Jobs.Devices.Count > 0 ? Jobs.Devices[0] : null;
        if (PluginQuery is not null || ToolQuery is not null)
        {
            // A deep link names the tool; say so plainly when this server does not have it.
            _formError = Jobs.ValidateSubmission(PluginQuery, ToolQuery, _device, new Dictionary<string, string?>())?.Detail;
            _pluginId = Jobs.Plugins.FirstOrDefault(p => p.Id == PluginQuery)?.Id;
            SelectTool(SelectedPlugin?.Tools.FirstOrDefault(t => t.Manifest.Id == ToolQuery)?.Manifest.Id ?? FirstAvailableTool(SelectedPlugin));
        }

        if (_pluginId is null)
        {
            var plugin = Jobs.Plugins.FirstOrDefault(p => p.Tools.Any(t => t.Manifest.AcceptsVideo && t.GetAvailability().Available))
                ?? (Jobs.Plugins.Count > 0 ? Jobs.Plugins[0] : null);
            _pluginId = plugin?.Id;
            SelectTool(FirstAvailableTool(plugin));
        }
    }

    private static string? FirstAvailableTool(IVideoPlugin? plugin) =>
        plugin?.Tools.FirstOrDefault(t => t.Manifest.AcceptsVideo && t.GetAvailability().Available)?.Manifest.Id;

    private void OnPluginChanged(string? pluginId)
    {
        _pluginId = pluginId;
        SelectTool(FirstAvailableTool(SelectedPlugin));
    }

    private void OnToolChanged(string? toolId) => SelectTool(toolId);

    private void SelectTool(string? toolId)
    {
        _toolId = toolId;
        _options.Clear();
        _optionErrors.Clear();
        foreach (var input in SelectedTool?.Manifest.Inputs ?? [])
        {
            _options[input.Name] = OptionRules.DefaultText(input);
        }
    }

    private bool OptionBool(ToolInput input) => _options.TryGetValue(input.Name, out var v) && v == "true";

    private void SetOption(ToolInput input, string? value)
    {
        _options[input.Name] = value;
        _optionErrors.Remove(input.Name);
    }

    /// <summary>
    /// What to say about a refusal. One that names an option of the chosen tool marks that field and names it by the label
    /// the form shows (the manifest's title for the input), not by its key; any other says the server's detail.
    /// </summary>
    private string Describe(SubmitResult.Refused refused)
    {
        if (refused.Option is { } option && SelectedTool?.Manifest.Inputs.FirstOrDefault(i => i.Name == option.Option) is { } input)
        {
            var message = option.Naming(input.Title);
            _optionErrors[input.Name] = message;
            return message;
        }

        return refused.Detail;
    }

    private Task OnFileSelectedAsync(IBrowserFile? file)
    {
        _file = file;
        _resumed = null;
        _fileError = file is null ? null : CheckFile(file.Name, file.ContentType, file.Size, Jobs.MaxUploadBytes);
        _formError = null;
        return Task.CompletedTask;
    }

    /// <summary>Refuses what is plainly not a video or is too large before a byte is sent.</summary>
    public static string? CheckFile(string name, string? contentType, long size, long maxBytes)
    {
        var isVideoType = contentType?.StartsWith("video/", StringComparison.OrdinalIgnoreCase) == true;
        if (!isVideoType && !VideoFileTypes.HasVideoExtension(name))
        {
            return $"'{name}' is not a video file. Choose a video such as MP4, MOV, AVI, MKV or WebM.";
        }

        if (size > maxBytes)
        {
            return $"'{name}' is {DisplayFormat.Bytes(size)}, larger than the upload limit of {DisplayFormat.Bytes(maxBytes)}.";
        }

        return size == 0 ? $"'{name}' is empty." : null;
    }

    private async Task SubmitAsync()
    {
        _formError = null;
        _optionErrors.Clear();
        if (_file is null && _source is null)
        {
            _fileError = "Choose a video file first.";
            return;
        }

        if (_fileError is not null)
        {
            return;
        }

        if (_optionsForm is not null)
        {
            await _optionsForm.ValidateAsync();
            if (!_optionsForm.IsValid)
            {
                _formError = "Some options are not valid; see the highlighted fields.";
                return;
            }
        }

        var fields = SubmitFields();
        var options = fields.Where(f => !SubmitFieldNames.IsReserved(f.Key)).ToDictionary(f => f.Key, f => (string?)f.Value, StringComparer.Ordinal);
        if (Jobs.ValidateSubmission(_pluginId, _toolId, _device, options) is { } refused)
        {
            _formError = Describe(refused);
            return;
        }

        if (_file is not { } file)
        {
            if (_source is { } source)
            {
                await RunAgainAsync(source.JobId, options);
            }

            return;
        }

        _uploading = true;
        _uploadId = Guid.NewGuid().ToString("N");
        _uploadedBytes = 0;
        _totalBytes = file.Size;
        var module = await UploadModuleAsync();
        await module.InvokeVoidAsync("startUpload", _dropZone, JobLinks.UploadUrl, JobLinks.AntiforgeryUrl, fields, file.Name, file.Size, _uploadId, _self);
    }

    /// <summary>
    /// The source job's clip with this form's tool and options, without an upload. Every option goes with its value, a
    /// blank one too (back to the default), so that an option cleared here is not taken from the source job.
    /// </summary>
    private async Task RunAgainAsync(Guid sourceId, Dictionary<string, string?> options)
    {
        foreach (var (name, value) in _options.Where(o => string.IsNullOrWhiteSpace(o.Value)))
        {
            options[name] = string.Empty;
        }

        _uploading = _rerunning = true;
        try
        {
            var result = await Jobs.RerunAsync(sourceId, new RerunCommand(_pluginId, _toolId, _device, options));
            _formError = result.Match<string?>(
                accepted =>
                {
                    Navigation.NavigateTo(JobLinks.Page(accepted.Job.JobId));
                    return null;
                },
                Describe);
        }
        catch (UnauthorizedAccessException refused)
        {
            // The account was changed or disabled since the page opened, or may no longer run jobs.
            _formError = refused.Message;
        }
        finally
        {
            _uploading = _rerunning = false;
        }
    }

    private Dictionary<string, string> SubmitFields()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SubmitFieldNames.PluginId] = _pluginId ?? string.Empty,
            [SubmitFieldNames.Tool] = _toolId ?? string.Empty,
            [SubmitFieldNames.Device] = _device ?? string.Empty,
        };
        foreach (var (name, value) in _options)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                fields[name] = value.Trim();
            }
        }

        return fields;
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                if (_uploadId is not null)
                {
                    // An outcome this page had is done with; one it is still waiting for is kept for the next page.
                    await _module.InvokeVoidAsync("detach", _uploadId, !_uploading);
                }

                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; so is the module.
            }
        }

        _self?.Dispose();
    }
}
