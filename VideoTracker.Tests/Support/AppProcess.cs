using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace VideoTracker.Tests.Support;

/// <summary>The built app started as a real child process on a free loopback port, for crash tests.</summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The app's own build output, beside the tests' (same configuration).</summary>
    public static string AppDirectory
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            return Path.Combine(TestClips.RepoRoot, "VideoTracker.App", "bin", configuration, "net10.0");
        }
    }

    public static async Task<AppProcess> StartAsync(string dataDirectory, IDictionary<string, string>? settings = null)
    {
        var app = Launch(dataDirectory, settings);
        using var client = app.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (app._process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {app._process.ExitCode}:\n{app.Output}");
            }

            try
            {
                using var response = await client.GetAsync("/health/live");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        app.Dispose();
        throw new TimeoutException($"The app did not answer within 120 s:\n{app.Output}");
    }

    /// <summary>
    /// Starts the app and waits for it to exit by itself, for start-ups that must be refused. Returns its exit
    /// code and output; kills it and fails when it is still running after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string dataDirectory, IDictionary<string, string>? settings, TimeSpan timeout)
    {
        using var app = Launch(dataDirectory, settings);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await app._process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The app was still running after {timeout.TotalSeconds:F0} s:\n{app.Output}");
        }

        app._process.WaitForExit(); // drains the redirected output
        return (app._process.ExitCode, app.Output);
    }

    private static AppProcess Launch(string dataDirectory, IDictionary<string, string>? settings)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", Path.Combine(AppDirectory, "VideoTracker.App.dll"))
        {
            WorkingDirectory = AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Storage__DataDirectory"] = dataDirectory;
        info.Environment["Storage__MinFreeBytes"] = "0";
        info.Environment["Security__ApiKey"] = VideoTrackerAppFactory.ServiceKey;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new AppProcess(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}"));
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>A client that sends the service key (admin).</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", VideoTrackerAppFactory.ServiceKey);
        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no graceful release of the running job.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>
    /// SIGTERM, as an orchestrator or <c>systemctl stop</c> sends it: the app shuts down gracefully. Sent with
    /// Debian's <c>kill</c> because .NET has no API to signal another process; does not wait for the exit.
    /// </summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} exited with {kill.ExitCode}");
        }
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code, or null after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
