using System.Diagnostics;

namespace VideoTracker.Core.Video;

/// <summary>
/// Starts <c>ffmpeg</c> or <c>ffprobe</c> as a child process the one way this app does: no shell and no window, the
/// arguments as a list (never parsed by a shell), stdout and stderr redirected to this process, stdin only when asked.
/// </summary>
internal static class FfmpegProcess
{
    /// <param name="program">The binary (<see cref="FfmpegLocator.Path"/> or <see cref="FfmpegLocator.ProbePath"/>).</param>
    /// <param name="redirectInput">Whether this process writes to the child's stdin.</param>
    /// <param name="lowPriority">Runs the child at idle priority (nice 19), so it yields the CPU to jobs.</param>
    /// <exception cref="System.ComponentModel.Win32Exception">The binary is missing or cannot run.</exception>
    public static Process Start(string program, IEnumerable<string> arguments, bool redirectInput = false, bool lowPriority = false)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Path.GetFileName(program)} did not start.");
        if (lowPriority)
        {
            try
            {
                process.PriorityClass = ProcessPriorityClass.Idle;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                // Not allowed here, or the child already exited: it runs at normal priority.
            }
        }

        return process;
    }

    /// <summary>
    /// Says, for people, that ffmpeg (which <paramref name="role"/>) could not be started, with the system's reason
    /// (<c>Permission denied</c>, say) and what to check; never the server's paths, which .NET's own message names.
    /// </summary>
    /// <param name="notStarted">What <see cref="Start"/> threw.</param>
    /// <param name="role">What ffmpeg was for: "decodes the video", say.</param>
    /// <param name="retry">What to do again once ffmpeg is mended.</param>
    public static string CannotStart(System.ComponentModel.Win32Exception notStarted, string role, string retry = "run the job again")
    {
        ArgumentNullException.ThrowIfNull(notStarted);
        var reason = new System.ComponentModel.Win32Exception(notStarted.NativeErrorCode).Message;
        return $"ffmpeg, which {role}, could not be started on this server ({reason}). Check ffmpeg there (Detection:FfmpegPath, or ffmpeg on the PATH), then {retry}.";
    }
}
