using System.Diagnostics;
using VideoTracker.Core.Counting;
using VideoTracker.Core.Nodes;
using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Jobs;

/// <summary>Runs one job, start to finish, in its own DI scope.</summary>
public sealed class JobRunner(
    JobStore store,
    PluginRegistry plugins,
    RunningJobs running,
    UnsavedFailures unsaved,
    IJobSignals signals,
    JobFiles files,
    DataPaths paths,
    ProcessInstance instance,
    TimeProvider time,
    PreviewVideos previews,
    JobEndedNotifier ended,
    FfmpegLocator ffmpeg,
    UnreadableClips unreadable,
    IOptions<JobsOptions> options,
    NodeCapabilities capabilities,
    ILogger<JobRunner> logger)
{
    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    private static readonly TimeSpan FirstEndingRetry = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan LastEndingRetry = TimeSpan.FromSeconds(4);

    private TimeSpan HeartbeatPeriod => TimeSpan.FromSeconds(options.Value.HeartbeatSeconds);

    /// <summary>
    /// Claims the job and runs its tool. Tool errors end the job as failed with a readable message;
    /// a cancel request ends it as cancelled; a shutdown puts it back to pending. Never throws for a
    /// job's own failure.
    /// </summary>
    public async Task RunAsync(Guid jobId, CancellationToken stoppingToken)
    {
        if (!await store.TryClaimAsync(jobId, instance.Id, instance.NodeName, Lease, stoppingToken).ConfigureAwait(false))
        {
            Log.JobNotClaimed(logger, jobId);
            return;
        }

        await RunClaimedAsync(jobId, stoppingToken).ConfigureAwait(false);
    }

    /// <summary>
    /// PostgreSQL: claims the oldest pending job that this node can run (<c>SKIP LOCKED</c>) and runs it. False when
    /// nothing it can run was pending, or when its data folder is not the shared one (no <see cref="DataPaths.MarkerFile"/>):
    /// then it claims nothing at all, and its readiness says why.
    /// </summary>
    public async Task<bool> RunNextAsync(CancellationToken stoppingToken)
    {
        if (capabilities.ClaimableTools() is not { Count: > 0 } tools
            || await store.ClaimNextAsync(instance.Id, instance.NodeName, Lease, tools, stoppingToken).ConfigureAwait(false) is not { } jobId)
        {
            return false;
        }

        await RunClaimedAsync(jobId, stoppingToken).ConfigureAwait(false);
        return true;
    }

    private async Task RunClaimedAsync(Guid jobId, CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        var registration = running.Register(jobId, stoppingToken);
        var reporter = new JobProgressReporter(jobId, instance.Id, store, time, options.Value.ProgressStepPercent, logger);
        using var heartbeatCts = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(jobId, reporter, registration, heartbeatCts.Token);
        try
        {
            await RunToEndAsync(jobId, started, reporter, registration, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Anything the run's own endings did not handle (most often an ending that could not be saved because the
            // database is away) is logged here and never stops the worker; a job left running loses its lease without
            // heartbeats, and the sweep recovers it.
            Log.JobCrashed(logger, jobId, ex);
        }
        finally
        {
            await heartbeatCts.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            running.Unregister(jobId);
        }
    }

    private async Task RunToEndAsync(Guid jobId, long started, JobProgressReporter reporter, RunningJob registration, CancellationToken stoppingToken)
    {
        var jobToken = registration.Token;
        var job = await store.FindAsync(jobId, stoppingToken).ConfigureAwait(false);
        if (job is null)
        {
            return;
        }

        var tool = plugins.FindTool(job.PluginId, job.Tool);
        if (tool is null)
        {
            await FailAsync(jobId, started, reporter, registration, $"The tool '{job.PluginId}/{job.Tool}' is not installed on this server.", null).ConfigureAwait(false);
            return;
        }

        if (!File.Exists(files.InputPath(job)))
        {
            await FailAsync(jobId, started, reporter, registration, MissingInputError(job), null).ConfigureAwait(false);
            return;
        }

        Log.JobStarted(logger, jobId, job.PluginId, job.Tool, job.Device);
        if (options.Value.PreparePreview)
        {
            previews.StartInBackground(job);
        }

        var partial = files.PartialResultsDirectory(jobId);
        files.DeletePartialResults(jobId);
        try
        {
            ToolRunSummary run;
            var writer = new FrameResultsWriter(partial);
            await using (writer.ConfigureAwait(false))
            {
                var input = files.InputPath(job);
                var toolOptions = ToolOptions.FromJson(job.OptionsJson, tool.Manifest.Inputs);
                var counting = CountingSink.For(tool.Manifest.Inputs, toolOptions, input, writer);
                var request = new ToolRequest(input, job.Device, toolOptions, (IFrameSink?)counting ?? writer, partial) { Counting = counting?.Counter };

                // Tools are CPU-bound frame loops: keep them off the worker's own continuation.
                run = await Task.Run(() => tool.RunAsync(request, reporter, jobToken), jobToken).ConfigureAwait(false);
                var counts = counting is null ? null : await counting.CompleteAsync(partial, input, ffmpeg.Path, jobToken).ConfigureAwait(false);
                await writer.CompleteAsync(run, counts, jobToken).ConfigureAwait(false);

                // Never complete a job whose results lack frames the tool says it analysed.
                if (writer.FramesWritten != run.ProcessedFrames)
                {
                    Log.ResultsIncomplete(logger, jobId, run.ProcessedFrames, writer.FramesWritten);
                    throw new VideoToolException(
                        $"The results hold {writer.FramesWritten} of the {run.ProcessedFrames} frames the tool analysed, so the job was not completed.");
                }
            }

            await reporter.FlushAsync().ConfigureAwait(false);
            var final = files.ResultsDirectory(jobId);
            if (Directory.Exists(final))
            {
                Directory.Delete(final, recursive: true);
            }

            Directory.Move(partial, final);
            if (await CompleteAsync(jobId, paths.ToRelative(final), reporter, registration).ConfigureAwait(false))
            {
                await ended.NotifyAsync(jobId).ConfigureAwait(false);
                var seconds = time.GetElapsedTime(started).TotalSeconds;
                Log.JobFinished(logger, jobId, instance.NodeName, run.TotalFrames, seconds, seconds > 0 ? run.TotalFrames / seconds : 0,
                    reporter.ProgressWrites, reporter.HeartbeatWrites);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await reporter.FlushAsync().ConfigureAwait(false);
            files.DeletePartialResults(jobId);
            var released = await reporter.EndAsync(() => store.ReleaseAsync(jobId, instance.Id, CancellationToken.None)).ConfigureAwait(false);
            if (released == JobStatus.Cancelled)
            {
                await ended.NotifyAsync(jobId).ConfigureAwait(false);
            }
            else if (released == JobStatus.Pending)
            {
                Log.JobReleased(logger, jobId);

                // Another node's worker can take it at once (on SQLite the next start re-queues it).
                try
                {
                    await signals.PendingAsync(jobId, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.HeartbeatFailed(logger, jobId, ex);
                }
            }
        }
        catch (OperationCanceledException) when (registration.Reason == StopReason.LeaseLost)
        {
            // Another worker owns the job now, and its files: touch neither.
            await reporter.FlushAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (jobToken.IsCancellationRequested)
        {
            await reporter.FlushAsync().ConfigureAwait(false);
            files.DeletePartialResults(jobId);
            if (await reporter.EndAsync(() => store.EndAsync(jobId, JobStatus.Cancelled, JobStore.CancelledError, CancellationToken.None, instance.Id)).ConfigureAwait(false))
            {
                await ended.NotifyAsync(jobId).ConfigureAwait(false);
            }

            Log.JobCancelled(logger, jobId, reporter.CurrentFrame, time.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception ex) when (DatabaseUnavailable.Is(ex))
        {
            // The database went away during the run, before its end was to be saved (a completion that cannot be saved
            // is left in CompleteAsync, which logs the same event). Not the tool's failure: the job stays running until
            // its lease runs out, and the sweep then completes it from results already in place, or runs it again.
            await reporter.FlushAsync().ConfigureAwait(false);
            Log.JobLeftForRecovery(logger, jobId, ex);
        }
        catch (Exception ex)
        {
            await reporter.FlushAsync().ConfigureAwait(false);
            files.DeletePartialResults(jobId);
            var error = ex is VideoToolException { ClipUnreadable: true } unreadableClip
                ? await unreadable.DetailAsync(files.InputPath(job), unreadableClip, CancellationToken.None).ConfigureAwait(false)
                : ReadableError(ex);
            await FailAsync(jobId, started, reporter, registration, error, ex).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Saves the completion, retrying a database that is full or away (a dropped pooled connection, a restart) with
    /// backoff for at most one lease, and not once the lease is lost. When it still cannot be saved, the job stays
    /// running (false): once its lease runs out, the recovery sweep completes it from the results already in place.
    /// </summary>
    private async Task<bool> CompleteAsync(Guid jobId, string resultsPath, JobProgressReporter reporter, RunningJob registration)
    {
        var live = reporter.Snapshot();
        try
        {
            return await SaveEndingAsync(
                () => reporter.EndAsync(() => store.CompleteAsync(jobId, instance.Id, resultsPath, live, CancellationToken.None)),
                EndingWorthRetrying,
                registration,
                (attempt, delay, ex) => Log.CompletionRetried(logger, jobId, attempt, delay.TotalSeconds, ex.Message)).ConfigureAwait(false);
        }
        catch (Exception ex) when (EndingWorthRetrying(ex))
        {
            Log.JobLeftForRecovery(logger, jobId, ex);
            return false;
        }
    }

    /// <summary>
    /// Logs the reason, then saves the failure, retrying a database that is full or away with backoff for at most one
    /// lease. When it still cannot be saved, the job stays running (this worker's, until its lease runs out) and
    /// <see cref="UnsavedFailures"/> keeps the reason: the recovery sweep saves the failure once the database takes
    /// writes again, and never runs the job again. Other errors are thrown.
    /// </summary>
    private async Task FailAsync(Guid jobId, long started, JobProgressReporter reporter, RunningJob registration, string error, Exception? exception)
    {
        // The reason first: the log says why the job ended even when the database cannot.
        var frames = reporter.CurrentFrame;
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        Log.JobFailed(logger, jobId, frames, seconds, seconds > 0 ? frames / seconds : 0, error, exception);
        try
        {
            if (await SaveEndingAsync(
                    () => reporter.EndAsync(() => store.EndAsync(jobId, JobStatus.Failed, error, CancellationToken.None, instance.Id)),
                    EndingWorthRetrying,
                    registration,
                    (attempt, delay, ex) => Log.FailureRetried(logger, jobId, attempt, delay.TotalSeconds, ex.Message)).ConfigureAwait(false))
            {
                await ended.NotifyAsync(jobId).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (EndingWorthRetrying(ex))
        {
            unsaved.Add(jobId, error);
            Log.FailureLeftForRecovery(logger, jobId, ex.Message);
        }
    }

    /// <summary>
    /// A database that is full (<c>SQLITE_FULL</c>, PostgreSQL's <c>disk_full</c>) or away may take the write of a job's
    /// end (completed or failed) a moment later.
    /// </summary>
    private static bool EndingWorthRetrying(Exception ex) => DiskFull.Is(ex) || DatabaseUnavailable.Is(ex);

    /// <summary>
    /// Runs <paramref name="save"/>, retrying the errors <paramref name="transient"/> accepts with backoff (0.25 s
    /// doubling to 4 s) for at most one lease, and not once the lease is lost. Throws the last error when it gives up.
    /// </summary>
    private async Task<bool> SaveEndingAsync(
        Func<Task<bool>> save, Func<Exception, bool> transient, RunningJob registration, Action<int, TimeSpan, Exception> retrying)
    {
        var first = time.GetTimestamp();
        var delay = FirstEndingRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await save().ConfigureAwait(false);
            }
            catch (Exception ex) when (transient(ex) && registration.Reason != StopReason.LeaseLost
                && time.GetElapsedTime(first) + delay < Lease)
            {
                retrying(attempt, delay, ex);
                await Task.Delay(delay, time).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastEndingRetry.Ticks));
            }
        }
    }

    private string MissingInputError(VideoJob job) =>
        $"The input file {job.StoredFilePath} is missing from the data folder of {instance.NodeName}: every node must mount the same shared folder at Storage:DataDirectory.";

    /// <summary>Tool errors are written for people; anything else is named without leaking server details.</summary>
    internal static string ReadableError(Exception ex) => ex switch
    {
        _ when DiskFull.Is(ex) => DiskFull.JobDetail,
        _ when DataFolderDenied.Is(ex) => DataFolderDenied.JobDetail,
        VideoToolException => ex.Message,
        OpenCvSharp.OpenCVException => "OpenCV could not process this video. The file may be damaged or use an unsupported codec.",
        OutOfMemoryException => "The server ran out of memory while processing this video.",
        _ => $"The tool failed unexpectedly ({ex.GetType().Name}). The server log has the details.",
    };

    /// <summary>
    /// Every <c>Jobs:HeartbeatSeconds</c>: renews the lease and writes the live counters in one statement. Stops the
    /// job when it finds a cancel request (from any node) or that the job is no longer this worker's; stops, quietly, once
    /// this worker has saved the job's end (<see cref="JobProgressReporter.EndAsync{T}"/>).
    /// </summary>
    private async Task HeartbeatAsync(Guid jobId, JobProgressReporter reporter, RunningJob registration, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    switch (await reporter.BeatAsync(Lease, cancellationToken).ConfigureAwait(false))
                    {
                        case HeartbeatOutcome.CancelRequested:
                            Log.CancelSeen(logger, jobId);
                            registration.Stop(StopReason.CancelRequested);
                            return;
                        case HeartbeatOutcome.Lost:
                            Log.LeaseLost(logger, jobId);
                            registration.Stop(StopReason.LeaseLost);
                            return;
                        case HeartbeatOutcome.Ended:
                            return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A missed beat is retried on the next tick; the lease outlasts several of them.
                    Log.HeartbeatFailed(logger, jobId, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
