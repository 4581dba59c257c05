using System.Diagnostics;

namespace VideoTracker.Tests.Support;

/// <summary>
/// A fact that needs to mount a small tmpfs (a real, full-able filesystem): Linux with <c>CAP_SYS_ADMIN</c>, as
/// root in CI and in scripts/test.sh. Elsewhere it skips and says why; never under <c>CI=true</c>, where it fails instead.
/// </summary>
public sealed class SmallDiskFactAttribute : FactAttribute
{
    public SmallDiskFactAttribute()
    {
        Skip = SmallDisk.SkipReason();
    }
}

/// <summary>
/// A tmpfs of a few MiB mounted on a fresh folder, unmounted and removed on dispose. Writes past its size fail
/// with the kernel's own <c>ENOSPC</c>, exactly as on a full data disk.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private const int CapSysAdmin = 21;

    private SmallDisk(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public static string? SkipReason()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!OperatingSystem.IsLinux())
        {
            return "Mounts a small tmpfs to fill a disk for real: Linux only.";
        }

        var capabilities = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        var effective = capabilities is null ? 0 : ulong.Parse(capabilities["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (effective & (1UL << CapSysAdmin)) != 0
            ? null
            : "Mounts a small tmpfs to fill a disk for real, which needs root (CAP_SYS_ADMIN), as in CI and scripts/test.sh.";
    }

    /// <summary>Mounts the tmpfs; a <paramref name="readOnly"/> one refuses every write (<c>EROFS</c>), even root's.</summary>
    public static SmallDisk Mount(string path, int megabytes, bool readOnly = false)
    {
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700{(readOnly ? ",ro" : string.Empty)}", "tmpfs", path);
        return new SmallDisk(path);
    }

    /// <summary>Writes a file of zeros (real pages, not a sparse file) that leaves <paramref name="leaveFree"/> bytes free.</summary>
    public void FillLeaving(long leaveFree)
    {
        var size = FreeBytes - leaveFree;
        using var file = new FileStream(System.IO.Path.Combine(Path, "filler.bin"), FileMode.CreateNew, FileAccess.Write);
        var zeros = new byte[1 << 16];
        for (var left = size; left > 0; left -= zeros.Length)
        {
            file.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
        }
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path);
    }

    private static void Run(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }
    }
}
