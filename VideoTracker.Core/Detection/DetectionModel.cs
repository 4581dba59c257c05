using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Detection;

public enum ModelState
{
    Ready,
    Downloading,
    Unavailable,
}

/// <summary>
/// Where the detection model is, resolved once at start-up: the setting <c>Detection:ModelPath</c>, else
/// <c>{DataDirectory}/models/yolox_nano.onnx</c>, else a one-time download from <c>Detection:ModelUrl</c>
/// (run by <see cref="ModelDownloadService"/>). Until a file is there the yolo tools say why they are not available.
/// </summary>
public sealed class DetectionModel
{
    private readonly object _gate = new();
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _path;
    private string _reason = string.Empty;

    public DetectionModel(IOptions<DetectionOptions> options, DataPaths paths, ILogger<DetectionModel> logger)
    {
        var o = options.Value;
        DefaultPath = Path.Combine(paths.ModelsDirectory, DetectionOptions.DefaultModelFileName);
        if (!string.IsNullOrWhiteSpace(o.ModelPath))
        {
            var configured = Path.GetFullPath(o.ModelPath);
            if (File.Exists(configured))
            {
                SetReady(configured);
                Log.ModelFound(logger, configured);
            }
            else
            {
                // The reason is shown to API callers, so it names the file only; the operator's log has the whole path.
                SetUnavailable($"The model file set in Detection:ModelPath ('{Path.GetFileName(configured)}') does not exist.");
                Log.ModelFileMissing(logger, configured);
            }
        }
        else if (File.Exists(DefaultPath))
        {
            SetReady(DefaultPath);
            Log.ModelFound(logger, DefaultPath);
        }
        else if (Uri.TryCreate(o.ModelUrl, UriKind.Absolute, out var url))
        {
            DownloadUrl = url;
            State = ModelState.Downloading;
            _reason = "The detection model is being downloaded. Try again in a minute.";
        }
        else
        {
            SetUnavailable($"No detection model: place {DetectionOptions.DefaultModelFileName} in the data folder's models/ folder or set Detection:ModelPath.");
            Log.ModelUnavailable(logger, _reason);
        }
    }

    public ModelState State { get; private set; }

    public string? ModelPath
    {
        get
        {
            lock (_gate)
            {
                return _path;
            }
        }
    }

    /// <summary>Where a downloaded model is stored.</summary>
    public string DefaultPath { get; }

    /// <summary>Set when the model must be downloaded.</summary>
    public Uri? DownloadUrl { get; }

    /// <summary>Completes once the model is ready or known to be unavailable.</summary>
    public Task WhenSettled => _settled.Task;

    public ToolAvailability Availability
    {
        get
        {
            lock (_gate)
            {
                return State == ModelState.Ready ? ToolAvailability.Yes : ToolAvailability.No(_reason);
            }
        }
    }

    internal void SetReady(string path)
    {
        lock (_gate)
        {
            _path = path;
            State = ModelState.Ready;
            _reason = string.Empty;
        }

        _settled.TrySetResult();
    }

    internal void SetUnavailable(string reason)
    {
        lock (_gate)
        {
            _path = null;
            State = ModelState.Unavailable;
            _reason = reason;
        }

        _settled.TrySetResult();
    }

    internal void SetDownloadProgress(int? percent)
    {
        lock (_gate)
        {
            if (State == ModelState.Downloading)
            {
                _reason = percent is { } p
                    ? $"The detection model is being downloaded ({p}%). Try again in a minute."
                    : "The detection model is being downloaded. Try again in a minute.";
            }
        }
    }
}
