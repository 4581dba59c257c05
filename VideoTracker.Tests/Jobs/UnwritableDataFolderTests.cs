using System.Diagnostics;

namespace VideoTracker.Tests.Jobs;

/// <summary>
/// A folder of the data folder stops taking writes while the app runs, as when an operator changes its permissions: made
/// immutable (<c>chattr +i</c>) when the tests run as root, whom permissions do not stop, else read-only. The kernel's
/// own EPERM or EACCES then meets the app's writes; or its disk is remounted read-only (a read-only bind mount of the
/// folder, as root), and the kernel's EROFS meets them.
/// </summary>
public sealed class UnwritableDataFolderTests : IDisposable
{
    private readonly TestPluginAppFactory _factory = new();
    private string? _locked;
    private string? _mounted;

    [Fact]
    public Task Run_ItsJobFolderStopsTakingWrites_FailsTheJobSayingTheDataFolderDoesNotAllowIt() =>
        RunUntilItsFolderStopsTakingWritesAsync("locked.avi", Lock);

    [SmallDiskFact]
    public Task Run_ItsJobFolderIsRemountedReadOnly_FailsTheJobSayingTheDataFolderDoesNotAllowIt() =>
        RunUntilItsFolderStopsTakingWritesAsync("read-only.avi", MountReadOnly);

    /// <summary>Runs a clip to its first frame, has <paramref name="stop"/> make its job folder refuse writes, and lets the rest through.</summary>
    private async Task RunUntilItsFolderStopsTakingWritesAsync(string name, Action<string> stop)
    {
        using var client = _factory.CreateClient();
        var job = await _factory.SubmitGatedToFrameAsync(client, TestClips.MovingSquare(_factory.Clips.Path, frames: 4, name: name), frames: 1);

        stop(Path.Combine(_factory.DataDirectory, "jobs", job.ToString("N")));
        _factory.Plugin.Gated.Gate.Release(3);

        var done = await client.WaitForTerminalAsync(job, timeoutSeconds: 30);
        Assert.True(done.Status() == "failed", done.ToString());
        Assert.Equal(DataFolderDenied.JobDetail, (await client.GetJsonAsync($"/v1/jobs/{job}")).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Submit_StagingStopsTakingWrites_Is500SayingTheDataFolderDoesNotAllowItAndKeepsNothing()
    {
        using var client = _factory.CreateClient();
        var staging = Path.Combine(_factory.DataDirectory, "staging");
        Lock(staging);

        using var form = ApiClient.SubmitForm(TestClips.MovingSquare(_factory.Clips.Path, frames: 4, name: "refused.avi"));
        var (status, problem) = await client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = form });

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal(DataFolderDenied.RequestDetail, problem.Detail());
        Assert.Empty(Directory.EnumerateFileSystemEntries(staging));
        Assert.Equal(0, (await client.GetJsonAsync("/v1/jobs")).GetProperty("count").GetInt32());
    }

    public void Dispose()
    {
        if (_locked is not null)
        {
            Unlock(_locked);
        }

        if (_mounted is not null)
        {
            Run("umount", "-l", _mounted);
        }

        _factory.Dispose();
    }

    private static bool IsRoot => Environment.UserName == "root";

    private void Lock(string folder)
    {
        _locked = folder;
        if (IsRoot)
        {
            Run("chattr", "+i", folder);
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Binds the folder onto itself and remounts that read-only: every write under it then meets EROFS.</summary>
    private void MountReadOnly(string folder)
    {
        Run("mount", "--bind", folder, folder);
        _mounted = folder;
        Run("mount", "-o", "remount,bind,ro", folder);
    }

    private static void Unlock(string folder)
    {
        if (IsRoot)
        {
            Run("chattr", "-i", folder);
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(command, arguments);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} failed ({process.ExitCode})");
    }
}
