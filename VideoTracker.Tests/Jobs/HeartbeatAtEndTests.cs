using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace VideoTracker.Tests.Jobs;

/// <summary>
/// A heartbeat that comes after its worker saved the job's end finds the job no longer running, which is no lost lease:
/// it writes nothing and warns of nothing. The real app (SQLite, one worker, the gated tool), with a heartbeat each
/// second and an end handler that holds the run open for three of them after the end is saved.
/// </summary>
public sealed class HeartbeatAtEndTests : IAsyncLifetime
{
    private const string Lost = "is no longer this worker's";

    private readonly TestPluginAppFactory _factory = new();
    private readonly ListLoggerProvider _log = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _handled = new();

    public Task InitializeAsync()
    {
        _factory.Settings["Jobs:LeaseSeconds"] = "4";
        _factory.Settings["Jobs:HeartbeatSeconds"] = "1";
        var plugin = _factory.ConfigureServices;
        _factory.ConfigureServices = services =>
        {
            plugin?.Invoke(services);
            services.AddSingleton<ILoggerProvider>(_log);
            services.AddSingleton<IJobEndedHandler>(new SlowEndHandler(_log, Handled));
        };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _factory.Plugin.Gated.Gate.Release(1000);
        await _factory.DisposeAsync();
    }

    [Theory]
    [InlineData("gated", "completed")]
    [InlineData("throws", "failed")]
    public async Task Heartbeat_AfterTheWorkerSavedTheEnd_LogsNoLostLease(string tool, string status)
    {
        using var client = _factory.CreateClient();
        var clip = TestClips.MovingSquare(_factory.Clips.Path, frames: 4, name: "end.avi");
        var job = await client.SubmitAsync(clip, TestPlugin.PluginId, tool);
        _factory.Plugin.Gated.Gate.Release(1000);

        Assert.Equal(status, (await client.WaitForTerminalAsync(job)).Status());
        await Handled(job).Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, _log.Count($"Job {job} {Lost}"));
    }

    /// <summary>The warning stays for a job that another worker took while this one ran it.</summary>
    [Fact]
    public async Task Heartbeat_WhenAnotherWorkerTookTheJob_LogsTheLostLeaseAndStops()
    {
        using var client = _factory.CreateClient();
        var clip = TestClips.MovingSquare(_factory.Clips.Path, frames: 4, name: "taken.avi");
        var job = await _factory.SubmitGatedToFrameAsync(client, clip, 1);

        await _factory.ExecuteSqlAsync("UPDATE jobs SET lease_owner = 'another-worker' WHERE job_id = $id", job);

        await _log.WaitForAsync($"Job {job} {Lost}");
        var running = _factory.Services.GetRequiredService<RunningJobs>();
        await Poll.UntilAsync(() => Task.FromResult(running.Ids), ids => !ids.Contains(job), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50), _ => "the worker never stopped");
        Assert.Equal(JobStatus.Running, (await _factory.Services.GetRequiredService<JobStore>().FindAsync(job, CancellationToken.None))!.Status);
    }

    private TaskCompletionSource Handled(Guid job) => _handled.GetOrAdd(job, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Holds the run open after its end is saved, for three heartbeats or until one warns of a lost lease.</summary>
    private sealed class SlowEndHandler(ListLoggerProvider log, Func<Guid, TaskCompletionSource> handled) : IJobEndedHandler
    {
        public async Task OnJobEndedAsync(Guid jobId, CancellationToken cancellationToken)
        {
            var until = DateTime.UtcNow.AddSeconds(3.5);
            while (DateTime.UtcNow < until && log.Count($"Job {jobId} {Lost}") == 0)
            {
                await Task.Delay(50, cancellationToken);
            }

            handled(jobId).TrySetResult();
        }
    }
}
