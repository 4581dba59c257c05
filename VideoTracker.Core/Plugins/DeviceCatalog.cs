using Microsoft.ML.OnnxRuntime;

namespace VideoTracker.Core.Plugins;

/// <summary>
/// The compute devices this server can run tools on. <c>cpu</c> is always there. ONNX Runtime is asked on first
/// use, not when the catalog is built, so a start that is refused (bad settings, a data folder in use) never loads
/// it: a refused start that had loaded it crashed at exit now and then (SIGSEGV instead of exit code 1).
/// </summary>
public sealed class DeviceCatalog
{
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";

    private readonly Lazy<IReadOnlyList<string>> _devices;

    public DeviceCatalog()
    {
        _devices = new(() => DetectDevices());
    }

    public DeviceCatalog(IReadOnlyList<string> devices)
    {
        _devices = new(() => devices);
    }

    public IReadOnlyList<string> Devices => _devices.Value;

    public bool IsAvailable(string device) => Devices.Contains(device, StringComparer.Ordinal);

    private static List<string> DetectDevices()
    {
        var devices = new List<string> { Cpu };
        try
        {
            if (Detection.OnnxRuntimeEnvironment.Instance.GetAvailableProviders().Contains("CUDAExecutionProvider", StringComparer.Ordinal))
            {
                devices.Add(Cuda);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or OnnxRuntimeException)
        {
            // Without ONNX Runtime only the CPU tools run; they still work.
        }

        return devices;
    }
}
