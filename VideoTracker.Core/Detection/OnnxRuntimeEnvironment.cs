using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace VideoTracker.Core.Detection;

/// <summary>
/// ONNX Runtime's process-wide environment, with its usage telemetry off. From 1.29, ONNX Runtime on Linux
/// starts a background uploader that sends usage events to Microsoft unless <c>ORT_DISABLE_TELEMETRY</c> is in the
/// process environment when the runtime starts. A self-hosted server sends nothing anywhere; and that uploader,
/// still busy when a short-lived process exits (a refused start), is a known cause of crashes at teardown
/// (one such start ended with SIGSEGV, exit 139, in CI). The variable goes into the native environment, which
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach on Linux, before the first
/// call into ONNX Runtime: everything that touches it comes here first.
/// </summary>
public static class OnnxRuntimeEnvironment
{
    public const string TelemetryVariable = "ORT_DISABLE_TELEMETRY";

    private static readonly Lazy<OrtEnv> Env = new(() =>
    {
        DisableTelemetry();
        return OrtEnv.Instance();
    });

    /// <summary>The environment, created on first use with telemetry off.</summary>
    public static OrtEnv Instance => Env.Value;

    /// <summary>Call before creating <see cref="SessionOptions"/> or a session.</summary>
    public static void EnsureCreated() => _ = Env.Value;

    private static void DisableTelemetry()
    {
        if (OperatingSystem.IsWindows())
        {
            Environment.SetEnvironmentVariable(TelemetryVariable, "1");
            return;
        }

        // overwrite 0: an operator's own setting stays as it is.
        _ = NativeSetEnv(TelemetryVariable, "1", 0);
    }

    // DllImport, not LibraryImport: this one call is not worth unsafe code in the project.
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int NativeSetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
