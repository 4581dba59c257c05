using Microsoft.Extensions.Hosting;
using Npgsql;
using VideoTracker.Core.Nodes;

namespace VideoTracker.Core.Jobs;

/// <summary>
/// On PostgreSQL, on nodes that run jobs: <c>LISTEN vt_jobs</c> on a dedicated connection. A pending job wakes
/// the idle workers; a cancel stops the job at once when it runs here. A dropped connection is opened again;
/// meanwhile the sweep and the heartbeat do the same work, only later.
/// </summary>
internal sealed class PostgresJobListener(
    IOptions<DatabaseOptions> database,
    IOptions<NodeOptions> node,
    JobWakeup wakeup,
    RunningJobs running,
    TimeProvider time,
    ILogger<PostgresJobListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Value.Kind != DatabaseProvider.Postgres || !node.Value.RunsJobs)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.ListenerFailed(logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.Value.PostgresConnectionString)
        {
            KeepAlive = 10,
            Pooling = false,
        }.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            connection.Notification += (_, e) => OnNotification(e.Payload);
            await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
            var listen = new NpgsqlCommand($"LISTEN {PostgresJobSignals.Channel}", connection);
            await using (listen.ConfigureAwait(false))
            {
                await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
            }

            // Whatever was submitted while this connection was down: look now.
            wakeup.Wake();
            while (true)
            {
                await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void OnNotification(string payload)
    {
        if (payload.StartsWith(PostgresJobSignals.PendingPrefix, StringComparison.Ordinal))
        {
            wakeup.Wake();
        }
        else if (payload.StartsWith(PostgresJobSignals.CancelPrefix, StringComparison.Ordinal)
            && Guid.TryParse(payload.AsSpan(PostgresJobSignals.CancelPrefix.Length), out var jobId)
            && running.TryStop(jobId, StopReason.CancelRequested) is not null)
        {
            Log.CancelSeen(logger, jobId);
        }
    }
}
