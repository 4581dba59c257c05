using System.Runtime.InteropServices;
using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Detection;

/// <summary>
/// ONNX Runtime reads <c>ORT_DISABLE_TELEMETRY</c> from the native process environment, so that is where the
/// test looks (through libc's getenv, which <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not change on Linux).
/// </summary>
public sealed class OnnxRuntimeEnvironmentTests
{
    [Fact]
    public void Instance_AndEveryPathIntoOnnxRuntime_LeaveTelemetryOffInTheNativeEnvironment()
    {
        var version = OnnxRuntimeEnvironment.Instance.GetVersionString();
        using var options = DetectorSession.CreateOptions(DeviceCatalog.Cpu, 1);
        var devices = new DeviceCatalog().Devices;

        Assert.StartsWith("1.", version, StringComparison.Ordinal);
        Assert.Contains(DeviceCatalog.Cpu, devices);
        Assert.Equal("1", Marshal.PtrToStringUTF8(NativeGetEnv(OnnxRuntimeEnvironment.TelemetryVariable)));
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr NativeGetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
