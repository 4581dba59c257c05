using System.Diagnostics;
using OpenCvSharp;
using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Video;

/// <summary>The encode of <see cref="PreviewVideos"/>: under the job folder's lock, ffmpeg into a part file of its own.</summary>
public sealed partial class PreviewVideos
{
    private async Task<string> EncodeHeldAsync(Guid jobId, string ffmpegPath, string input, string output, CancellationToken stopping)
    {
        var folder = Path.GetDirectoryName(output)!;
        DeleteParts(folder);
        var free = RefuseWhenDiskIsLow(jobId, folder);

        var progress = _progress.GetOrAdd(jobId, _ => new PreviewProgress(Path.Combine(folder, ProgressFileName)));
        progress.Report(0, 1);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await EncodeAsync(ffmpegPath, input, output, progress, stopping).ConfigureAwait(false);
            Log.PreviewEncoded(logger, jobId, Stopwatch.GetElapsedTime(started).TotalSeconds);
            _fullAt.TryRemove(jobId, out var _);
            return output;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Log.PreviewStopped(logger, jobId);
            throw;
        }
        catch (VideoToolException ex) when (ex.InnerException is { } cause && LoggedAsItFails(cause))
        {
            // What ffmpeg said names server paths: it goes to the log, the client gets EncodeFailedDetail. An ffmpeg that
            // cannot be started is the server's to mend: logged too, as the client gets only the reason.
            Log.PreviewFailed(logger, jobId, ex);
            throw;
        }
        catch (PreviewStalledException ex)
        {
            Log.PreviewFailed(logger, jobId, ex);
            throw;
        }
        catch (DiskFullException) when (free is { } before)
        {
            _fullAt[jobId] = before;
            Log.PreviewDiskFull(logger, jobId, before);
            throw;
        }
        finally
        {
            _progress.TryRemove(jobId, out var _);
            if (Directory.Exists(folder))
            {
                PreviewProgress.Delete(Path.Combine(folder, ProgressFileName));
            }
        }
    }

    /// <summary>
    /// Throws <see cref="DiskFullException"/> when the disk has less free space than <c>Storage:MinFreeBytes</c>, or no
    /// more than when an encode of this job last found it full; returns the free bytes (null when they cannot be told).
    /// </summary>
    private long? RefuseWhenDiskIsLow(Guid jobId, string folder)
    {
        var free = DiskFull.FreeBytes(folder);
        if (free < storage.Value.MinFreeBytes || (_fullAt.TryGetValue(jobId, out var full) && free <= full))
        {
            Log.PreviewRefusedLowDisk(logger, jobId, free ?? 0, storage.Value.MinFreeBytes);
            throw new DiskFullException();
        }

        return free;
    }

    /// <summary>The job folder's preview lock, held exclusively, or null while another encoder holds it (or, without <paramref name="create"/>, none exists).</summary>
    private static FileStream? TryLock(string folder, bool create)
    {
        try
        {
            return new FileStream(Path.Combine(folder, LockFileName), create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (!create || ex is not (FileNotFoundException or DirectoryNotFoundException))
        {
            // Held by another encoder (a sharing violation), or, when only looking, no lock file at all.
            return null;
        }
    }

    private static int ReadProgress(string file)
    {
        try
        {
            return int.TryParse(File.ReadAllText(file), NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
                ? Math.Clamp(percent, 0, 99)
                : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Encodes <paramref name="input"/> to <paramref name="output"/> with ffmpeg, every frame at its own
    /// timestamp (see <see cref="FfmpegVideoEncoder.TranscodeAsync"/>), through a part file of its own. OpenCV first
    /// checks that a frame decodes, so a clip that a job could not read fails here with the job's message; and the
    /// part is published only when a frame of it decodes too. A failure is told without ffmpeg's words, which name server paths (see <see cref="EncodeFailure"/>).
    /// </summary>
    private async Task<string> EncodeAsync(string ffmpegPath, string input, string output, PreviewProgress progress, CancellationToken stopping)
    {
        var part = Path.Combine(Path.GetDirectoryName(output)!, $"preview.{Guid.NewGuid():N}.part.mp4");
        var totalFrames = FirstFrameOrThrow(input);
        string? error;
        try
        {
            error = await FfmpegVideoEncoder.TranscodeAsync(ffmpegPath, input, part, lowPriority: true, frames => progress.Report(frames, totalFrames), StallLimit, stopping)
                .ConfigureAwait(false);
        }
        catch (TimeoutException stalled)
        {
            throw PreviewStalledException.OfThisNode(options.Value.PreviewStallSeconds, stalled);
        }
        catch (System.ComponentModel.Win32Exception notStarted)
        {
            // Not executable, or gone since it was found: said without .NET's message, which names the server's paths.
            throw new VideoToolException(FfmpegProcess.CannotStart(notStarted, "encodes the browser preview", "open the preview again"), notStarted);
        }

        if (error is not null)
        {
            throw EncodeFailure(error);
        }

        try
        {
            FirstFrameOrThrow(part);
        }
        catch (VideoToolException ex)
        {
            File.Delete(part);
            throw new VideoToolException("The preview could not be encoded: ffmpeg wrote a file without a playable frame (" + ex.Message + ")");
        }

        File.Move(part, output, overwrite: true);
        return output;
    }

    /// <summary>What a client is told when ffmpeg could not encode the preview; what ffmpeg said is logged, not told.</summary>
    public const string EncodeFailedDetail = "The preview could not be encoded: ffmpeg failed on this clip. The server's log has what it said.";

    /// <summary>
    /// What a client is told of ffmpeg's failure: <see cref="DiskFullException"/> when the disk was full, else a
    /// <see cref="VideoToolException"/> with the fixed <see cref="EncodeFailedDetail"/>, ffmpeg's own words (which name
    /// server paths) kept as its inner exception for the log.
    /// </summary>
    internal static Exception EncodeFailure(string error) => DiskFull.InToolOutput(error)
        ? new DiskFullException()
        : new VideoToolException(EncodeFailedDetail, new FfmpegSaid(error));

    /// <summary>What ffmpeg wrote to stderr as it failed: for the log only.</summary>
    private sealed class FfmpegSaid(string said) : Exception(said);

    /// <summary>
    /// Whether an encode that failed for <paramref name="cause"/> (the inner exception of its <see cref="VideoToolException"/>)
    /// is logged where it fails, in <see cref="EncodeHeldAsync"/>: what ffmpeg said, an ffmpeg that could not be started, or
    /// one stopped for making no progress (the cause of <see cref="PreviewStalledException.OfThisNode"/>).
    /// </summary>
    private static bool LoggedAsItFails(Exception cause) => cause is FfmpegSaid or System.ComponentModel.Win32Exception or TimeoutException;

    /// <summary>The header's frame count of a clip whose first frame decodes; throws the job's message otherwise.</summary>
    private static int FirstFrameOrThrow(string path)
    {
        using var capture = FrameLoop.OpenOrThrow(path);
        var info = VideoProbe.ReadInfo(capture);
        using var frame = new Mat();
        if (!capture.Read(frame) || frame.Empty())
        {
            FrameLoop.ThrowIfNothingDecoded(0);
        }

        return info.EstimatedTotalFrames;
    }
}
