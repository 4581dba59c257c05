using OpenCvSharp;

namespace VideoTracker.Core.Detection;

/// <summary>The pipeline's decoding stage: OpenCV or ffmpeg fills the slots in frame order.</summary>
public sealed partial class DetectionPipeline
{
    /// <summary>
    /// Opens a clip for the decoding thread with FFmpeg's own threading off: inference already keeps the
    /// cores busy, and a second pool of decoder threads only fights it (measured with the benchmark on
    /// two cores). Falls back to OpenCV's default when the FFmpeg backend cannot open the file.
    /// </summary>
    public static VideoCapture OpenCapture(string path)
    {
        const int CapPropNThreads = 70; // cv::CAP_PROP_N_THREADS (OpenCV 4.7+)
        var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG, [CapPropNThreads, 1]);
        if (capture.IsOpened())
        {
            return capture;
        }

        capture.Dispose();
        return FrameLoop.OpenOrThrow(path);
    }

    /// <summary>
    /// The decoding thread: fills free slots in frame order, each with its presentation time, until the clip,
    /// max_frames or cancellation ends it, and hands analysed ones to the lanes. <paramref name="next"/> decodes
    /// one frame into a slot whose <see cref="Slot.Analysed"/> is set (and letterboxes it when analysed); false
    /// at the end of the clip.
    /// </summary>
    private static async Task<(int Decoded, bool ReachedMax)> DecodeAsync(
        FrameSelection selection, Func<Slot, bool> next, Stages stages, CancellationToken cancellationToken)
    {
        var decoded = 0;
        var reachedMax = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (selection.MaxFrames is { } limit && decoded >= limit)
                {
                    reachedMax = true;
                    break;
                }

                var slot = await stages.Free.ReadAsync(cancellationToken).ConfigureAwait(false);
                slot.Analysed = selection.IsAnalysed(decoded);
                if (!next(slot))
                {
                    break;
                }

                slot.Index = decoded++;
                if (slot.Analysed)
                {
                    slot.Inferred = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    await stages.ToInfer.WriteAsync(slot, cancellationToken).ConfigureAwait(false);
                }

                await stages.InOrder.WriteAsync(slot, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The consumer stopped; it reports why.
        }

        return (decoded, reachedMax);
    }

    /// <summary>
    /// Runs the decoding stage, then ends the stages however it ended, so the lanes and the consumer never wait for
    /// frames that will not come: also when the decoder fails before its first frame (ffmpeg cannot be started), and
    /// the run then fails with that error.
    /// </summary>
    private static async Task<(int Decoded, bool ReachedMax)> DecodeThenCompleteAsync(Func<Task<(int Decoded, bool ReachedMax)>> decode, Stages stages)
    {
        try
        {
            return await decode().ConfigureAwait(false);
        }
        finally
        {
            stages.ToInfer.TryComplete();
            stages.InOrder.TryComplete();
        }
    }

    /// <summary>OpenCV decodes: whole frames (only grabbed when neither analysed nor drawn), letterboxed here.</summary>
    private async Task<(int Decoded, bool ReachedMax)> DecodeWithOpenCvAsync(
        VideoCapture capture, FrameClock clock, FrameSelection selection, bool keepPixels, Stages stages, CancellationToken cancellationToken)
    {
        using var preprocessor = new FramePreprocessor(Spec);
        return await DecodeAsync(selection, slot =>
        {
            var ok = slot.Analysed || keepPixels
                ? capture.Read(slot.WholeFrame()) && !slot.Frame.Empty()
                : capture.Grab();
            if (ok)
            {
                slot.TimestampMs = clock.Next(capture);
                if (slot.Analysed)
                {
                    slot.Box = preprocessor.Fill(slot.Frame, slot.Input);
                }
            }

            return ok;
        }, stages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// ffmpeg decodes: every frame arrives already scaled to the letterbox's size, with its presentation time,
    /// straight into the slot's pinned pixels (which its <see cref="Slot.Frame"/> views, so nothing is copied), and
    /// only analysed frames are converted into their tensor. A clip ffmpeg stops part-way through fails the run
    /// with ffmpeg's words (<see cref="FfmpegFrameReader.Read"/>).
    /// </summary>
    private async Task<(int Decoded, bool ReachedMax)> DecodeWithFfmpegAsync(
        string ffmpeg, string videoPath, Letterbox box, FrameClock clock, FrameSelection selection, Stages stages, CancellationToken cancellationToken)
    {
        using var preprocessor = new FramePreprocessor(Spec);
        var reader = FfmpegFrameReader.Start(ffmpeg, videoPath, box.ResizedWidth, box.ResizedHeight);
        await using (reader.ConfigureAwait(false))
        {
            return await DecodeAsync(selection, slot =>
            {
                var pixels = slot.ViewPixels(box.ResizedWidth, box.ResizedHeight, box.Scale);
                if (!reader.Read(pixels, out var ms, cancellationToken))
                {
                    return false;
                }

                slot.TimestampMs = clock.Next(ms);
                if (slot.Analysed)
                {
                    preprocessor.FillResized(pixels, box, slot.Input);
                    slot.Box = box;
                }

                return true;
            }, stages, cancellationToken).ConfigureAwait(false);
        }
    }
}
