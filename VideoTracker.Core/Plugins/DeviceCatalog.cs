using Microsoft.ML.OnnxRuntime;

namespace VideoTracker.Core.Plugins;

/// <summary>The compute devices this server can run tools on. <c>cpu</c> is always there.</summary>
public sealed class DeviceCatalog
{
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";

    public DeviceCatalog()
        : this(DetectDevices())
    {
    }

    public DeviceCatalog(IReadOnlyList<string> devices)
    {
        Devices = devices;
    }

    public IReadOnlyList<string> Devices { get; }

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
