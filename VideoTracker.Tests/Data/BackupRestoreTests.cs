using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace VideoTracker.Tests.Data;

/// <summary>
/// The README's "Backing up and restoring", run as written: a backup taken while the app runs a job, with sqlite3's
/// <c>.backup</c> (or pg_dump) and <c>cp -a</c>, restored into another folder and started there. Sign-ins, keys and
/// finished jobs carry over, and the job that was running is run again to the end.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class BackupRestoreTests : IDisposable
{
    private const string Password = "admin-password-for-backups";
    private readonly TempDirectory _temp = new();

    private static Dictionary<string, string> Settings(Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Auth__InitialAdmin__Username"] = "admin",
            ["Auth__InitialAdmin__Password"] = Password,
            ["Jobs__SweepSeconds"] = "1",
            ["Jobs__LeaseSeconds"] = "4",
            ["Jobs__HeartbeatSeconds"] = "1",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Sqlite_BackedUpWhileAJobRuns_RestoresElsewhereWithSignInsKeysAndJobs()
    {
        var data = _temp.Combine("data");
        var backup = _temp.Combine("backup", "vt");
        Directory.CreateDirectory(backup);

        var taken = await RunAndBackUpAsync(data, Settings(), async () =>
        {
            await RunAsync("sqlite3", Path.Combine(data, "videotracker.db"), $".backup '{Path.Combine(backup, "videotracker.db")}'");
            await RunAsync("cp", "-a", Path.Combine(data, "jobs"), Path.Combine(data, "keys"), Path.Combine(data, ".videotracker-data"), backup);
        });

        Assert.False(File.Exists(Path.Combine(backup, "videotracker.db-wal")));
        await AssertRestoredAsync(backup, Settings(), taken);
    }

    [PostgresFact]
    public async Task Postgres_DumpedWhileAJobRuns_RestoresIntoAnotherDatabaseAndFolder()
    {
        await using var database = await TestPostgres.CreateAsync();
        await using var restored = await TestPostgres.CreateAsync();
        var data = _temp.Combine("shared");
        var dump = _temp.Combine("videotracker.dump");
        var backup = _temp.Combine("backup");
        Directory.CreateDirectory(backup);

        var taken = await RunAndBackUpAsync(data, Settings(database.Settings), async () =>
        {
            await RunAsync("pg_dump", "-Fc", "-f", dump, LibpqConnection(database.ConnectionString));
            await RunAsync("cp", "-a", data, backup);
        });

        await RunAsync("pg_restore", "--no-owner", "-d", LibpqConnection(restored.ConnectionString), dump);
        await AssertRestoredAsync(Path.Combine(backup, "shared"), Settings(restored.Settings), taken);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>What the backup should hold: a signed-in cookie, a user's API key, a finished job and its export, and a running job.</summary>
    private sealed record Taken(string Cookie, string Key, Guid Finished, string FinishedCsv, Guid Running);

    /// <summary>Starts the app, signs in, makes a key, finishes one job and starts a long one, then runs the backup.</summary>
    private async Task<Taken> RunAndBackUpAsync(string data, Dictionary<string, string> settings, Func<Task> takeBackup)
    {
        var shortClip = TestClips.MovingSquare(_temp.Combine("clips"), frames: 10, name: "short.avi");
        var longClip = TestClips.MovingSquare(_temp.Combine("clips"), frames: 3000, width: 640, height: 480, name: "long.avi");
        using var app = await AppProcess.StartAsync(data, settings);
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        using var login = await anonymous.PostAsync("/v1/auth/login", Json($$"""{"username":"admin","password":"{{Password}}"}"""));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vt_auth=", StringComparison.Ordinal)).Split(';')[0];
        using var keyRequest = new HttpRequestMessage(HttpMethod.Post, "/v1/keys") { Content = Json("""{"name":"script"}""") };
        keyRequest.Headers.Add("Cookie", cookie);
        using var keyResponse = await anonymous.SendAsync(keyRequest);
        Assert.Equal(HttpStatusCode.Created, keyResponse.StatusCode);
        var key = (await keyResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        using var client = app.CreateClient();
        var finished = await client.SubmitCompletedAsync(shortClip);
        var csv = await client.GetStringAsync($"/v1/jobs/{finished}/export?format=csv");
        var running = await client.SubmitAsync(longClip);
        Assert.Equal("running", (await client.WaitForStatusAsync(running, s => s.Progress() >= 5)).Status());

        await takeBackup();

        Assert.Equal("running", (await client.GetStatusAsync(running)).Status());
        return new Taken(cookie, key, finished, csv, running);
    }

    /// <summary>Starts the app on the restored folder (the original still runs, or has gone) and checks what came back.</summary>
    private static async Task AssertRestoredAsync(string restoredData, Dictionary<string, string> settings, Taken taken)
    {
        using var app = await AppProcess.StartAsync(restoredData, settings);
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };

        using var me = new HttpRequestMessage(HttpMethod.Get, "/v1/auth/me");
        me.Headers.Add("Cookie", taken.Cookie);
        using var meResponse = await anonymous.SendAsync(me);
        Assert.Equal(HttpStatusCode.OK, meResponse.StatusCode);

        using var byKey = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{taken.Finished}/export?format=csv");
        byKey.Headers.Add("X-Api-Key", taken.Key);
        using var csv = await anonymous.SendAsync(byKey);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal(taken.FinishedCsv, await csv.Content.ReadAsStringAsync());

        using var client = app.CreateClient();
        var done = await client.WaitForTerminalAsync(taken.Running, timeoutSeconds: 240);
        Assert.Equal("completed", done.Status());
        Assert.Equal(1, done.GetProperty("attempts").GetInt32());
        Assert.Equal(3000, (await client.GetJsonAsync($"/v1/video/results/{taken.Running}?frame_limit=1")).GetProperty("results").GetProperty("summary").GetProperty("total_frames").GetInt32());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The libpq connection string (for pg_dump, pg_restore) of an Npgsql one.</summary>
    private static string LibpqConnection(string npgsql)
    {
        var builder = new NpgsqlConnectionStringBuilder(npgsql);
        return $"host={builder.Host} port={builder.Port} dbname={builder.Database} user={builder.Username} password={builder.Password}";
    }

    private static async Task RunAsync(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await errors}");
    }
}
