using System.Collections.Concurrent;
using OpenCvSharp;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Storage;

namespace VideoTracker.Core.Video;

/// <summary>
/// A browser-playable H.264 copy of a job's original clip, for the overlay player: made once with
/// <see cref="FfmpegVideoEncoder"/> from the frames OpenCV decodes (so frame i is at i / fps, as in the
/// results) and cached as <c>preview.mp4</c> in the job folder. Concurrent requests share one encode.
/// </summary>
public sealed class PreviewVideos(DataPaths paths, JobFiles files, FfmpegLocator ffmpeg)
{
    public const string FileName = "preview.mp4";

    private readonly ConcurrentDictionary<Guid, Lazy<Task<string>>> _making = new();

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
        var lazy = _making.GetOrAdd(job.JobId, _ => new Lazy<Task<string>>(() => Task.Run(() => EncodeAsync(ffmpegPath, input, path))));
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

    /// <summary>Decodes <paramref name="input"/> with OpenCV and encodes every frame to <paramref name="output"/>.</summary>
    public static async Task<string> EncodeAsync(string ffmpegPath, string input, string output)
    {
        var part = Path.Combine(Path.GetDirectoryName(output)!, "preview.part.mp4");
        using var capture = FrameLoop.OpenOrThrow(input);
        var fps = VideoProbe.ReadInfo(capture).Fps;
        using var frame = new Mat();
        if (!capture.Read(frame) || frame.Empty())
        {
            throw new VideoToolException("The video opened, but none of its frames could be decoded.");
        }

        var encoder = FfmpegVideoEncoder.Start(ffmpegPath, part, frame.Width, frame.Height, fps > 0 ? fps : 25);
        await using (encoder.ConfigureAwait(false))
        {
            do
            {
                await encoder.WriteAsync(frame, CancellationToken.None).ConfigureAwait(false);
            }
            while (capture.Read(frame) && !frame.Empty());

            if (await encoder.CompleteAsync(CancellationToken.None).ConfigureAwait(false) is { } error)
            {
                File.Delete(part);
                throw new VideoToolException("The preview could not be encoded: " + error);
            }
        }

        File.Move(part, output, overwrite: true);
        return output;
    }
}
