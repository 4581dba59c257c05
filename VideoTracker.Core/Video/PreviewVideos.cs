using System.Collections.Concurrent;
using OpenCvSharp;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Video;

/// <summary>
/// A browser-playable H.264 copy of a job's original clip, for the overlay player: made once by ffmpeg
/// from the clip, every frame kept at its own timestamp (so a frame plays at its <c>timestamp_ms</c> in the
/// results, variable frame rate included) and cached as <c>preview.mp4</c> in the job folder. Concurrent requests share one encode.
/// A job starts its preview in the background when it starts (<see cref="StartInBackground"/>), with ffmpeg
/// at idle priority, so the preview is usually ready when the job ends; until then <see cref="StateOf"/>
/// says how far it has got.
/// </summary>
public sealed class PreviewVideos(DataPaths paths, JobFiles files, FfmpegLocator ffmpeg, ILogger<PreviewVideos> logger)
{
    public const string FileName = "preview.mp4";

    /// <summary>The preview while ffmpeg writes it; renamed to <see cref="FileName"/> when whole.</summary>
    public const string PartFileName = "preview.part.mp4";

    private readonly ConcurrentDictionary<Guid, Lazy<Task<string>>> _making = new();
    private readonly ConcurrentDictionary<Guid, PreviewProgress> _progress = new();

    public bool IsAvailable => ffmpeg.IsAvailable;

    public string UnavailableReason => ffmpeg.UnavailableReason;

    public string PathFor(Guid jobId) => Path.Combine(paths.JobDirectory(jobId), FileName);

    /// <summary>The cached preview, made first when needed. A cancelled request does not stop the encode.</summary>
    public async Task<string> GetOrCreateAsync(VideoJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var path = PathFor(job.JobId);
        if (File.Exists(path))
        {
            return path;
        }

        var ffmpegPath = ffmpeg.Path ?? throw new InvalidOperationException(ffmpeg.UnavailableReason);
        var input = files.InputPath(job);
        var jobId = job.JobId;
        var lazy = _making.GetOrAdd(jobId, id => new Lazy<Task<string>>(() => Task.Run(async () =>
        {
            var progress = _progress.GetOrAdd(id, _ => new PreviewProgress());
            try
            {
                return await EncodeAsync(ffmpegPath, input, path, progress).ConfigureAwait(false);
            }
            finally
            {
                _progress.TryRemove(id, out var _);
            }
        })));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
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
    /// logged; a later request for the preview tries again and reports the error.
    /// </summary>
    public void StartInBackground(VideoJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!IsAvailable || File.Exists(PathFor(job.JobId)))
        {
            return;
        }

        var jobId = job.JobId;
        _ = GetOrCreateAsync(job, CancellationToken.None).ContinueWith(
            t => Log.PreviewFailed(logger, jobId, t.Exception!.GetBaseException()),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Whether the preview is ready, being made (and how far), or not started.</summary>
    public PreviewState StateOf(Guid jobId)
    {
        if (File.Exists(PathFor(jobId)))
        {
            return new PreviewState.Ready();
        }

        if (_progress.TryGetValue(jobId, out var progress))
        {
            return new PreviewState.Preparing(progress.Percent);
        }

        return IsAvailable ? new PreviewState.NotStarted() : new PreviewState.Unavailable(UnavailableReason);
    }

    /// <summary>
    /// Encodes <paramref name="input"/> to <paramref name="output"/> with ffmpeg, every frame at its own
    /// timestamp (see <see cref="FfmpegVideoEncoder.TranscodeAsync"/>). OpenCV first checks that a frame
    /// decodes, so a clip that a job could not read fails here with the job's message.
    /// </summary>
    public static async Task<string> EncodeAsync(string ffmpegPath, string input, string output, PreviewProgress? progress = null)
    {
        var part = Path.Combine(Path.GetDirectoryName(output)!, PartFileName);
        int totalFrames;
        using (var capture = FrameLoop.OpenOrThrow(input))
        {
            var info = VideoProbe.ReadInfo(capture);
            totalFrames = info.EstimatedTotalFrames;
            using var frame = new Mat();
            if (!capture.Read(frame) || frame.Empty())
            {
                FrameLoop.ThrowIfNothingDecoded(0);
            }
        }

        var error = await FfmpegVideoEncoder.TranscodeAsync(ffmpegPath, input, part, lowPriority: true, frames => progress?.Report(frames, totalFrames))
            .ConfigureAwait(false);
        if (error is not null)
        {
            throw new VideoToolException("The preview could not be encoded: " + error);
        }

        File.Move(part, output, overwrite: true);
        return output;
    }
}

/// <summary>How far a preview encode has got, in percent of the header's frame count.</summary>
public sealed class PreviewProgress
{
    private int _percent;

    public int Percent => Volatile.Read(ref _percent);

    public void Report(int frames, int totalFrames)
    {
        if (totalFrames > 0)
        {
            Volatile.Write(ref _percent, Math.Clamp(frames * 100 / totalFrames, 0, 99));
        }
    }
}

/// <summary>Where a job's browser preview stands.</summary>
public abstract record PreviewState
{
    public sealed record Ready : PreviewState;

    public sealed record Preparing(int Percent) : PreviewState;

    public sealed record NotStarted : PreviewState;

    public sealed record Unavailable(string Reason) : PreviewState;
}
