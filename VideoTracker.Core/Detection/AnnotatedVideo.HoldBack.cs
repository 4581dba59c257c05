using OpenCvSharp;

namespace VideoTracker.Core.Detection;

/// <summary>The hold-back: decoded frames kept until the detections they show are final.</summary>
public sealed partial class AnnotatedVideo
{
    /// <summary>
    /// Draws a decoded frame once the detections it shows are final (<see cref="ReleaseAsync"/>): its own when it is
    /// <paramref name="analysed"/>, else the last analysed frame's. Frames come in order, each before or after its
    /// detections. A frame whose detections are final already, with no frame held before it, is drawn at once, onto
    /// <paramref name="frame"/> itself; any other is copied and held until then.
    /// </summary>
    public ValueTask HoldAsync(Mat frame, int index, double timestampMs, bool analysed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (Error is not null)
        {
            return ValueTask.CompletedTask;
        }

        var bytes = (long)frame.Total() * frame.ElemSize();
        if ((_held.Count + 1) * bytes > _maxHeldBytes)
        {
            return GiveUpAsync(string.Create(CultureInfo.InvariantCulture,
                $"it would have held more than {_held.Count} decoded frames ({_maxHeldBytes / 1048576} MB) until their tracked boxes were final; lower track_buffer or min_track_length."));
        }

        if (_held.Count == 0 && TakeFinal(index, analysed) is { } shown)
        {
            return WriteAsync(frame, index, timestampMs, shown, analysed, cancellationToken);
        }

        var copy = _spare.Count > 0 ? _spare.Pop() : new Mat();
        frame.CopyTo(copy);
        _held.Enqueue(new HeldFrame(copy, index, timestampMs, analysed));
        MostHeld = Math.Max(MostHeld, _held.Count);
        return DrawReadyAsync(cancellationToken);
    }

    /// <summary>The final detections of an analysed frame, in frame order: it and the frames up to the next analysed one are drawn.</summary>
    public ValueTask ReleaseAsync(FrameDetections frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (Error is not null)
        {
            return ValueTask.CompletedTask;
        }

        _final.Enqueue(frame);
        return DrawReadyAsync(cancellationToken);
    }

    /// <summary>A sink that writes each final frame to <paramref name="results"/>, then releases it to this video.</summary>
    public IFrameSink After(IFrameSink results) => new ReleasingSink(results, this);

    /// <summary>Stops the video for good: nothing more is held, drawn or encoded, and <see cref="CompleteAsync"/> gives <paramref name="why"/>.</summary>
    private async ValueTask GiveUpAsync(string why)
    {
        Error = why;
        await StopEncoderAsync().ConfigureAwait(false);
        FreeFrames();
    }

    private async ValueTask DrawReadyAsync(CancellationToken cancellationToken)
    {
        while (_held.TryPeek(out var next) && TakeFinal(next.Index, next.Analysed) is { } shown)
        {
            _held.Dequeue();
            await WriteAsync(next.Frame, next.Index, next.TimestampMs, shown, next.Analysed, cancellationToken).ConfigureAwait(false);
            _spare.Push(next.Frame);
        }
    }

    /// <summary>
    /// The detections frame <paramref name="index"/> shows, once they are final: an analysed frame's own (taken from those
    /// released), else the last analysed frame's; null while an analysed frame's are not released yet.
    /// </summary>
    private IReadOnlyList<DetectedObject>? TakeFinal(int index, bool analysed)
    {
        if (analysed)
        {
            if (!_final.TryPeek(out var final) || final.FrameIndex != index)
            {
                return null;
            }

            _shown = _final.Dequeue().Detections;
        }

        return _shown;
    }

    private void FreeFrames()
    {
        foreach (var mat in _held.Select(h => h.Frame).Concat(_spare))
        {
            mat.Dispose();
        }

        _held.Clear();
        _spare.Clear();
        _final.Clear();
    }

    private readonly record struct HeldFrame(Mat Frame, int Index, double TimestampMs, bool Analysed);

    private sealed class ReleasingSink(IFrameSink results, AnnotatedVideo video) : IFrameSink
    {
        public async ValueTask WriteAsync(FrameDetections frame, CancellationToken cancellationToken)
        {
            await results.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            await video.ReleaseAsync(frame, cancellationToken).ConfigureAwait(false);
        }
    }
}
