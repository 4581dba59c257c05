namespace VideoTracker.Core.Evaluation;

/// <summary>A job's tracked boxes of one class as MOTChallenge rows, and the frames it analysed (both 1-based).</summary>
public sealed record TrackHypotheses(IReadOnlyList<MotBox> Boxes, IReadOnlySet<int> AnalysedFrames)
{
    /// <summary>Streams a completed job's frames; boxes without a track id or of another class are left out.</summary>
    public static async Task<TrackHypotheses> ReadAsync(string resultsDirectory, string className, CancellationToken cancellationToken)
    {
        var boxes = new List<MotBox>();
        var frames = new HashSet<int>();
        await foreach (var frame in ResultsReader.ReadFramesAsync(resultsDirectory, cancellationToken).ConfigureAwait(false))
        {
            var number = frame.FrameIndex + 1;
            frames.Add(number);
            foreach (var d in frame.Detections)
            {
                if (d.TrackId is { } id && string.Equals(d.ClassName, className, StringComparison.OrdinalIgnoreCase))
                {
                    boxes.Add(new MotBox(number, id, d.X1, d.Y1, d.X2 - d.X1, d.Y2 - d.Y1, d.Confidence));
                }
            }
        }

        return new TrackHypotheses(boxes, frames);
    }
}
