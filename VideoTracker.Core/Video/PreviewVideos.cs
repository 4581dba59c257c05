using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Hosting;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Video;

/// <summary>
/// A browser-playable H.264 copy of a job's original clip, for the overlay player: made once by ffmpeg
/// from the clip, every frame kept at its own timestamp (so a frame plays at its <c>timestamp_ms</c> in the
/// results, variable frame rate included) and cached as <c>preview.mp4</c> in the job folder.
/// One encode per job across every node that shares the data folder: the encoder holds <c>preview.lock</c> in the
/// job folder open exclusively (an OS file lock, which a dead process loses), writes to a part file of its own and
/// renames it into place only once ffmpeg succeeded and the file decodes. Another caller, in this process or on
/// another node, waits for that encode instead of starting its own, and <see cref="StateOf"/> reports it as preparing.
/// The encoder writes its percent to <c>preview.progress</c> as it advances (and at least every
/// <see cref="PreviewProgress.Beat"/> while it does); a waiter whose encoder has not advanced for
/// <c>Jobs:PreviewStallSeconds</c> stops waiting (<see cref="PreviewStalledException"/>). It never takes the lock from
/// its holder: a holder that dies loses it, and the next caller encodes.
/// A job starts its preview in the background when it starts (<see cref="StartInBackground"/>), with ffmpeg
/// at idle priority, so the preview is usually ready when the job ends.
/// An encode is not started while the disk's free space is below <c>Storage:MinFreeBytes</c>, nor, after one that found
/// the disk full, until the disk has more free space than it had then: both fail with <see cref="DiskFullException"/>.
/// Every encode, in the background or for a request, stops when the app stops (<see cref="IHostApplicationLifetime.ApplicationStopping"/>):
/// its ffmpeg is killed and its part file deleted, and the host waits for that (<see cref="IHostedService.StopAsync"/>).
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "_encodeSlots is never disposed: an encode may give its slot back after the container disposed this.")]
public sealed partial class PreviewVideos(
    DataPaths paths,
    JobFiles files,
    FfmpegLocator ffmpeg,
    IOptions<JobsOptions> options,
    IOptions<StorageOptions> storage,
    IHostApplicationLifetime lifetime,
    ILogger<PreviewVideos> logger) : IHostedService
{
    public const string FileName = "preview.mp4";

    /// <summary>Held open exclusively by the one process that encodes the job's preview.</summary>
    public const string LockFileName = "preview.lock";

    /// <summary>The encode's percent, for the nodes that wait for it.</summary>
    private const string ProgressFileName = "preview.progress";

    /// <summary>Each encode writes its own part file (<c>preview.{id}.part.mp4</c>), renamed to <see cref="FileName"/> when whole.</summary>
    private const string PartFilePattern = "preview.*.part.mp4";

    /// <summary>The one part file earlier versions wrote, before each encode had its own.</summary>
    private const string LegacyPartFileName = "preview.part.mp4";

    private static readonly TimeSpan WaitStep = TimeSpan.FromMilliseconds(250);

    private TimeSpan StallLimit => TimeSpan.FromSeconds(options.Value.PreviewStallSeconds);

    private readonly ConcurrentDictionary<Guid, Lazy<Task<string>>> _making = new();
    private readonly ConcurrentDictionary<Guid, PreviewProgress> _progress = new();

    /// <summary>
    /// Encodes this node runs at once: one per worker, as many as the jobs that start them; the others wait for a slot
    /// (and count as preparing), so a burst of queued jobs does not start one ffmpeg each. Never disposed: an encode that
    /// ends after the host stopped waiting for it (its shutdown timeout) still gives its slot back, and a semaphore whose
    /// wait handle nobody asked for holds nothing to free.
    /// </summary>
    private readonly SemaphoreSlim _encodeSlots = new(options.Value.Workers);

    /// <summary>When this node last saw each other node's encode advance.</summary>
    private readonly PreviewProgressWatch _watch = new();

    /// <summary>How many jobs' progress files this node remembers (<see cref="PreviewProgressWatch"/>): none once their previews are made.</summary>
    internal int WatchedProgressFiles => _watch.Count;

    /// <summary>The free bytes there were when an encode of the job found the disk full: no new encode until there are more.</summary>
    private readonly ConcurrentDictionary<Guid, long> _fullAt = new();

    public bool IsAvailable => ffmpeg.IsAvailable;

    /// <summary>What stops each encode under way here: the app stopping, or its job deleted (<see cref="ForgetAsync"/>).</summary>
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _stops = new();

    /// <summary>
    /// For a deleted job (see <see cref="JobControl.DeleteAsync"/>), before its folder goes: stops this node's encode of
    /// its preview and waits for it to end (its ffmpeg killed, its part file deleted), so none goes on writing into the
    /// folder being deleted; then forgets what this node knew of it.
    /// </summary>
    public async Task ForgetAsync(Guid jobId)
    {
        if (_stops.TryRemove(jobId, out var stop))
        {
            await stop.CancelAsync().ConfigureAwait(false);
            if (_making.TryGetValue(jobId, out var making) && making.IsValueCreated)
            {
                await making.Value.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }

            stop.Dispose();
        }

        _fullAt.TryRemove(jobId, out var _);
        _watch.Forget(jobId);
    }

    public string UnavailableReason => ffmpeg.UnavailableReason;

    public string PathFor(Guid jobId) => Path.Combine(paths.JobDirectory(jobId), FileName);

    /// <summary>How long a client is asked to wait (<c>Retry-After</c>) before it asks again for a preview being prepared (or stalled).</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>What a HEAD is told while nobody makes the preview (HEAD starts no encode).</summary>
    public const string NotMadeDetail = "The preview is not made yet; a GET of it starts making it.";

    /// <summary>What a request is told when the encode it waited for was stopped while its job still exists (the app stopping).</summary>
    public const string StoppedDetail = "The preview's encode was stopped before it ended; ask again to start it anew.";

    /// <summary>What a request that came before the preview was ready is told.</summary>
    public static string PreparingDetail(int percent) =>
        string.Create(CultureInfo.InvariantCulture, $"The preview is being prepared ({percent} %); try again shortly.");

    /// <summary>
    /// The cached preview, made first when needed (or waited for, when another node makes it). A cancelled request does
    /// not stop the encode; the app stopping does (<see cref="OperationCanceledException"/>).
    /// </summary>
    public async Task<string> GetOrCreateAsync(VideoJob job, CancellationToken cancellationToken)
    {
        await WaitForAsync(job, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        return PathFor(job.JobId);
    }

    /// <summary>
    /// As <see cref="GetOrCreateAsync"/>, for a request: <see cref="PreviewState.Ready"/> when the preview is at
    /// <see cref="PathFor"/> within <c>Jobs:PreviewWaitSeconds</c>, else <see cref="PreviewState.Preparing"/> with the
    /// percent done so far, while the encode goes on for the next request.
    /// </summary>
    public Task<PreviewState> PrepareAsync(VideoJob job, CancellationToken cancellationToken) =>
        WaitForAsync(job, TimeSpan.FromSeconds(options.Value.PreviewWaitSeconds), cancellationToken);

    private async Task<PreviewState> WaitForAsync(VideoJob job, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var path = PathFor(job.JobId);
        if (File.Exists(path))
        {
            _watch.Forget(job.JobId);
            return new PreviewState.Ready();
        }

        var ffmpegPath = ffmpeg.Path ?? throw new InvalidOperationException(ffmpeg.UnavailableReason);
        var input = files.InputPath(job);
        var lazy = _making.GetOrAdd(job.JobId, id => new Lazy<Task<string>>(() => Task.Run(() => MakeOnceAsync(id, ffmpegPath, input, path))));
        try
        {
            await lazy.Value.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            return new PreviewState.Ready();
        }
        catch (TimeoutException)
        {
            return StateOf(job.JobId) as PreviewState.Preparing ?? new PreviewState.Preparing(0);
        }
        finally
        {
            if (lazy.Value.IsCompleted)
            {
                _making.TryRemove(new KeyValuePair<Guid, Lazy<Task<string>>>(job.JobId, lazy));
            }
        }
    }

    /// <summary>
    /// Starts making the preview now, without waiting for it (a job calls this when it starts). Failures are
    /// logged; a later request for the preview tries again and reports the error. The app stopping stops it.
    /// Nothing starts for a job whose clip is gone (a restore that lacks it): a request for its preview answers 404.
    /// </summary>
    public void StartInBackground(VideoJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!IsAvailable || File.Exists(PathFor(job.JobId)) || !File.Exists(files.InputPath(job)))
        {
            return;
        }

        var jobId = job.JobId;
        _ = GetOrCreateAsync(job, CancellationToken.None).ContinueWith(
            t =>
            {
                // An encode that ffmpeg failed, or that could not start it, was logged as it failed (see EncodeHeldAsync).
                if (!LoggedAsItFails(t.Exception!.GetBaseException()))
                {
                    Log.PreviewFailed(logger, jobId, t.Exception.GetBaseException());
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// For a page that opens the player: starts making the preview in the background when nothing is under way, and
    /// says how it stands. A progress file that this node has not yet seen change, and not for as long as
    /// <c>Jobs:PreviewStallSeconds</c>, may be another node's encode that this node only now sees: nothing starts
    /// and it counts as preparing, so the page does not start an encode that would only wait on that node's lock.
    /// The page's next looks (<see cref="StateOf"/>) judge it; a dead encode's file stops counting once it has stayed as
    /// it is for the limit, and the next page or request then makes the preview.
    /// </summary>
    public PreviewState StartForPage(VideoJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (StateOf(job.JobId) is not PreviewState.NotStarted and var state)
        {
            return state;
        }

        var progressFile = Path.Combine(paths.JobDirectory(job.JobId), ProgressFileName);
        if (_watch.LookAt(job.JobId, progressFile) is { SeenChanging: false } look && look.Unchanged < StallLimit)
        {
            return new PreviewState.Preparing(ReadProgress(progressFile));
        }

        StartInBackground(job);
        return StateOf(job.JobId);
    }

    /// <summary>
    /// Whether the preview is ready, being made here or on another node (and how far), or not started. Another node's
    /// encode is seen from its progress file alone, while this node has seen it change within <c>Jobs:PreviewStallSeconds</c>
    /// by its own clock (<see cref="PreviewProgressWatch"/>; a file only ever seen as it is, such as one a dead encode
    /// left, is not an encode): a page poll never touches the lock, so it never makes an encoder that is taking it wait.
    /// </summary>
    public PreviewState StateOf(Guid jobId)
    {
        if (File.Exists(PathFor(jobId)))
        {
            _watch.Forget(jobId);
            return new PreviewState.Ready();
        }

        if (_progress.TryGetValue(jobId, out var progress))
        {
            return new PreviewState.Preparing(progress.Percent);
        }

        var progressFile = Path.Combine(paths.JobDirectory(jobId), ProgressFileName);
        if (_watch.LookAt(jobId, progressFile) is { SeenChanging: true } look && look.Unchanged < StallLimit)
        {
            return new PreviewState.Preparing(ReadProgress(progressFile));
        }

        if (_making.TryGetValue(jobId, out var making) && making.IsValueCreated && !making.Value.IsCompleted)
        {
            // Started here, and not encoding yet (or waiting for another node whose progress is not written yet).
            return new PreviewState.Preparing(0);
        }

        return IsAvailable ? new PreviewState.NotStarted() : new PreviewState.Unavailable(UnavailableReason);
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Waits, within the host's shutdown time, for the encodes that <see cref="IHostApplicationLifetime.ApplicationStopping"/>
    /// stopped to kill their ffmpeg and delete their part files, so none is left when the process ends.
    /// </summary>
    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        var running = _making.Values.Where(l => l.IsValueCreated).Select(l => l.Value.ContinueWith(static _ => { }, TaskScheduler.Default));
        try
        {
            await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host stops waiting; the encodes' ffmpeg were killed when the app began to stop.
        }
    }

    /// <summary>Deletes the part files and progress of encodes that no process runs any more (none holds the lock).</summary>
    public static void DeleteAbandonedParts(string jobFolder)
    {
        using var held = TryLock(jobFolder, create: false);
        if (held is null || !Directory.Exists(jobFolder))
        {
            return;
        }

        DeleteParts(jobFolder);
    }

    /// <summary>
    /// Deletes every preview part file in <paramref name="folder"/>, of this version or an earlier one, and the progress
    /// an encode that died left behind; the caller holds the lock.
    /// </summary>
    private static void DeleteParts(string folder)
    {
        foreach (var part in Directory.EnumerateFiles(folder, PartFilePattern))
        {
            File.Delete(part);
        }

        File.Delete(Path.Combine(folder, LegacyPartFileName));
        PreviewProgress.Delete(Path.Combine(folder, ProgressFileName));
    }

    /// <summary>
    /// Takes the job's preview lock and encodes, or waits while another encoder (any process) holds it, for as long as
    /// its progress file changes at least every <see cref="StallLimit"/> (<see cref="PreviewProgressWatch"/>: times are
    /// this process's own, so clocks that differ between nodes do not matter). A holder that dies loses its lock, and
    /// this caller then encodes.
    /// </summary>
    private async Task<string> MakeOnceAsync(Guid jobId, string ffmpegPath, string input, string output)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        _stops[jobId] = stop;
        try
        {
            return await WaitOrEncodeAsync(jobId, ffmpegPath, input, output, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            // Made, failed or stalled: what this node watched of the progress is no longer needed (a later look starts afresh).
            _watch.Forget(jobId);

            // Unless ForgetAsync took it (and disposes it once this has ended).
            if (_stops.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(jobId, stop)))
            {
                stop.Dispose();
            }
        }
    }

    private async Task<string> WaitOrEncodeAsync(Guid jobId, string ffmpegPath, string input, string output, CancellationToken stopping)
    {
        var folder = Path.GetDirectoryName(output)!;
        var progressFile = Path.Combine(folder, ProgressFileName);
        var waited = false;
        var waitingSince = 0L;
        while (true)
        {
            stopping.ThrowIfCancellationRequested();

            // One of this node's encode slots first, then the job's lock: a burst of jobs encodes a few previews at a time.
            await _encodeSlots.WaitAsync(stopping).ConfigureAwait(false);
            try
            {
                // A delete removed the job's folder before this encode began (a request that found the job just before):
                // it stops as one under way at the delete is stopped (ForgetAsync), rather than fail on a lock it cannot create.
                if (!Directory.Exists(folder))
                {
                    throw new OperationCanceledException("The job's folder is gone: the job was deleted.");
                }

                if (File.Exists(output))
                {
                    return output;
                }

                using var held = TryLock(folder, create: true);
                if (held is not null)
                {
                    // Whoever held it before may have finished meanwhile.
                    return File.Exists(output) ? output : await EncodeHeldAsync(jobId, ffmpegPath, input, output, stopping).ConfigureAwait(false);
                }
            }
            finally
            {
                _encodeSlots.Release();
            }

            if (!waited)
            {
                // From the first time another encoder held the lock, not from the wait for a slot here.
                waited = true;
                waitingSince = Stopwatch.GetTimestamp();
                Log.PreviewWaiting(logger, jobId);
            }

            // Until the holder writes its progress, the wait itself is how long it has not advanced.
            if ((_watch.LookAt(jobId, progressFile)?.Unchanged ?? Stopwatch.GetElapsedTime(waitingSince)) > StallLimit)
            {
                Log.PreviewStalled(logger, jobId, options.Value.PreviewStallSeconds);
                throw new PreviewStalledException(options.Value.PreviewStallSeconds);
            }

            await Task.Delay(WaitStep, stopping).ConfigureAwait(false);
        }
    }
}
