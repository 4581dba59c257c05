using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using VideoTracker.Core.Jobs;

namespace VideoTracker.Core.Detection;

/// <summary>One loaded model: its ONNX Runtime session (thread-safe for <c>Run</c>) and its shapes.</summary>
public sealed class DetectorSession : IDisposable
{
    internal DetectorSession(string modelPath, string device, int intraOpThreads, bool allowSpinning = false)
    {
        using var options = CreateOptions(device, intraOpThreads, allowSpinning);
        Session = new InferenceSession(modelPath, options);
        Device = device;
        var input = Session.InputMetadata.First();
        var output = Session.OutputMetadata.First();
        Spec = ModelSpec.FromShapes(input.Key, input.Value.Dimensions, output.Key, output.Value.Dimensions);
    }

    public InferenceSession Session { get; }

    public ModelSpec Spec { get; }

    public string Device { get; }

    public static SessionOptions CreateOptions(string device, int intraOpThreads, bool allowSpinning = false)
    {
        OnnxRuntimeEnvironment.EnsureCreated();
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
        };
        if (intraOpThreads > 0)
        {
            options.IntraOpNumThreads = intraOpThreads;
        }

        options.AddSessionConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
        if (string.Equals(device, DeviceCatalog.Cuda, StringComparison.Ordinal))
        {
            options.AppendExecutionProvider_CUDA(0);
        }

        return options;
    }

    public void Dispose() => Session.Dispose();
}

/// <summary>
/// One <see cref="DetectorSession"/> per model path and device, created on first use and shared by every
/// worker; disposed with the container.
/// </summary>
public sealed class DetectorSessions(
    IOptions<DetectionOptions> options,
    ILogger<DetectorSessions> logger,
    IOptions<JobsOptions>? jobs = null) : IDisposable
{
    private readonly ConcurrentDictionary<(string Path, string Device), Lazy<DetectorSession>> _sessions = new();
    private bool _disposed;

    /// <summary>
    /// How many analysed frames a detection run has in the model at once: <see cref="DetectionOptions.InferenceLanes"/>,
    /// or the app's choice for this node's cores and workers when that is 0.
    /// </summary>
    public int InferenceLanes => options.Value.LanesFor(jobs?.Value.Workers ?? 1);

    /// <summary>How many sessions have been asked for (loaded, or loading).</summary>
    internal int Count => _sessions.Count;

    public DetectorSession Get(string modelPath, string device)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var key = (Path.GetFullPath(modelPath), device);
        var lazy = _sessions.GetOrAdd(key, k => new Lazy<DetectorSession>(() => Load(k.Path, k.Device), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A file that failed to load may be replaced; try again next time.
            _sessions.TryRemove(new KeyValuePair<(string, string), Lazy<DetectorSession>>(key, lazy));
            throw;
        }
    }

    private DetectorSession Load(string path, string device)
    {
        var session = new DetectorSession(path, device, options.Value.IntraOpThreads, options.Value.AllowSpinning);
        Log.ModelLoaded(logger, Path.GetFileName(path), device, session.Spec.Format.ToString(), session.Spec.InputWidth, session.Spec.InputHeight, session.Spec.ClassCount);
        return session;
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var lazy in _sessions.Values)
        {
            if (lazy.IsValueCreated)
            {
                lazy.Value.Dispose();
            }
        }

        _sessions.Clear();
    }
}
