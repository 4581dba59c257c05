using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoTracker.Core.Plugins;
using VideoTracker.Core.Results;
using VideoTracker.Core.Storage;
using VideoTracker.Core.Video;

namespace VideoTracker.Core.Jobs;

/// <summary>Runs one job, start to finish, in its own DI scope.</summary>
public sealed class JobRunner(
    JobStore store,
    PluginRegistry plugins,
    JobProgressTracker tracker,
    RunningJobs running,
    JobFiles files,
    DataPaths paths,
    ProcessInstance instance,
    TimeProvider time,
    IOptions<JobsOptions> options,
    ILogger<JobRunner> logger)
{
    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    /// <summary>
    /// Claims the job and runs its tool. Tool errors end the job as failed with a readable message;
    /// a cancel request ends it as cancelled; a shutdown puts it back to pending. Never throws for a
    /// job's own failure.
    /// </summary>
    public async Task RunAsync(Guid jobId, CancellationToken stoppingToken)
    {
        if (!await store.TryClaimAsync(jobId, instance.Id, Lease, stoppingToken).ConfigureAwait(false))
        {
            Log.JobNotClaimed(logger, jobId);
            return;
        }

        var started = time.GetTimestamp();
        using var jobCts = running.Register(jobId, stoppingToken);
        tracker.Start(jobId);
        using var heartbeatCts = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(jobId, heartbeatCts.Token);
        try
        {
            await RunClaimedAsync(jobId, started, jobCts.Token, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await heartbeatCts.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            running.Unregister(jobId);
            tracker.Stop(jobId);
        }
    }

    private async Task RunClaimedAsync(Guid jobId, long started, CancellationToken jobToken, CancellationToken stoppingToken)
    {
        var job = await store.FindAsync(jobId, stoppingToken).ConfigureAwait(false);
        if (job is null)
        {
            return;
        }

        var tool = plugins.FindTool(job.PluginId, job.Tool);
        if (tool is null)
        {
            await FailAsync(jobId, started, $"The tool '{job.PluginId}/{job.Tool}' is not installed on this server.", null).ConfigureAwait(false);
            return;
        }

        Log.JobStarted(logger, jobId, job.PluginId, job.Tool, job.Device);
        var partial = files.PartialResultsDirectory(jobId);
        files.DeletePartialResults(jobId);
        var reporter = new JobProgressReporter(jobId, store, tracker, options.Value.ProgressStepPercent);
        try
        {
            ToolRunSummary run;
            var writer = new FrameResultsWriter(partial);
            await using (writer.ConfigureAwait(false))
            {
                var request = new ToolRequest(
                    files.InputPath(job), job.Device, ToolOptions.FromJson(job.OptionsJson, tool.Manifest.Inputs), writer, partial);

                // Tools are CPU-bound frame loops: keep them off the worker's own continuation.
                run = await Task.Run(() => tool.RunAsync(request, reporter, jobToken), jobToken).ConfigureAwait(false);
                await writer.CompleteAsync(run, jobToken).ConfigureAwait(false);
            }

            await reporter.FlushAsync().ConfigureAwait(false);
            var final = files.ResultsDirectory(jobId);
            if (Directory.Exists(final))
            {
                Directory.Delete(final, recursive: true);
            }

            Directory.Move(partial, final);
            if (await store.CompleteAsync(jobId, paths.ToRelative(final), CancellationToken.None).ConfigureAwait(false))
            {
                var seconds = time.GetElapsedTime(started).TotalSeconds;
                Log.JobFinished(logger, jobId, run.TotalFrames, seconds, seconds > 0 ? run.TotalFrames / seconds : 0, reporter.Writes);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await reporter.FlushAsync().ConfigureAwait(false);
            files.DeletePartialResults(jobId);
            if (await store.ReleaseAsync(jobId, instance.Id, CancellationToken.None).ConfigureAwait(false))
            {
                Log.JobReleased(logger, jobId);
            }
        }
        catch (OperationCanceledException) when (jobToken.IsCancellationRequested)
        {
            await reporter.FlushAsync().ConfigureAwait(false);
            files.DeletePartialResults(jobId);
            await store.EndAsync(jobId, JobStatus.Cancelled, "Cancelled by request.", CancellationToken.None).ConfigureAwait(false);
            Log.JobCancelled(logger, jobId, tracker.Get(jobId)?.CurrentFrame ?? 0, time.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception ex)
        {
            await reporter.FlushAsync().ConfigureAwait(false);
            files.DeletePartialResults(jobId);
            await FailAsync(jobId, started, ReadableError(ex), ex).ConfigureAwait(false);
        }
    }

    private async Task FailAsync(Guid jobId, long started, string error, Exception? exception)
    {
        await store.EndAsync(jobId, JobStatus.Failed, error, CancellationToken.None).ConfigureAwait(false);
        var frames = tracker.Get(jobId)?.CurrentFrame ?? 0;
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        Log.JobFailed(logger, jobId, frames, seconds, seconds > 0 ? frames / seconds : 0, error, exception);
    }

    /// <summary>Tool errors are written for people; anything else is named without leaking server details.</summary>
    internal static string ReadableError(Exception ex) => ex switch
    {
        VideoToolException => ex.Message,
        OpenCvSharp.OpenCVException => "OpenCV could not process this video. The file may be damaged or use an unsupported codec.",
        OutOfMemoryException => "The server ran out of memory while processing this video.",
        _ => $"The tool failed unexpectedly ({ex.GetType().Name}). The server log has the details.",
    };

    private async Task HeartbeatAsync(Guid jobId, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Lease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await store.RenewLeaseAsync(jobId, instance.Id, Lease, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A missed beat is retried on the next tick; the lease outlasts three of them.
                    Log.HeartbeatFailed(logger, jobId, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
