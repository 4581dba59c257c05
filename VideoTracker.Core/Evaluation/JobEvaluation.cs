namespace VideoTracker.Core.Evaluation;

/// <summary>Options of an evaluation: the match IoU, which class is scored, and the 1-based frame range.</summary>
public sealed record EvaluationSettings(double Iou = 0.5, string ClassName = "person", int MinFrame = 1, int MaxFrame = int.MaxValue);

/// <summary>The figures, or why there are none.</summary>
public abstract record EvaluationResult
{
    private EvaluationResult()
    {
    }

    public sealed record Scored(MotMetrics Metrics) : EvaluationResult;

    public sealed record NoTracks(string Detail) : EvaluationResult;

    public sealed record InvalidGroundTruth(string Detail) : EvaluationResult;
}

/// <summary>Evaluates a completed job's tracks against uploaded ground truth: one place for the API and the page.</summary>
public static class JobEvaluation
{
    public const string NoTracksDetail = "This job has no track ids: only tracking jobs (such as yolo-tracker's video_player_tracking) can be evaluated or have a track table.";

    /// <summary>
    /// Scores the job's boxes of <see cref="EvaluationSettings.ClassName"/> on its analysed frames within the
    /// range; ground-truth rows on other frames of the clip are not scored. Rows beyond the clip itself (not only
    /// beyond the frames the job analysed) are refused with their line, as is an empty file.
    /// </summary>
    public static async Task<EvaluationResult> EvaluateAsync(string resultsDirectory, TextReader groundTruth, EvaluationSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(settings);
        var summary = await ResultsReader.ReadSummaryAsync(resultsDirectory, cancellationToken).ConfigureAwait(false);
        if (summary.UniqueTracks is null)
        {
            return new EvaluationResult.NoTracks(NoTracksDetail);
        }

        var parsed = MotText.Parse(groundTruth, summary.ClipFrames());
        if (parsed is MotParseResult.Invalid bad)
        {
            return new EvaluationResult.InvalidGroundTruth($"Invalid ground truth: {bad.Detail}");
        }

        var truth = ((MotParseResult.Parsed)parsed).Boxes;
        var hypotheses = await TrackHypotheses.ReadAsync(resultsDirectory, settings.ClassName, cancellationToken).ConfigureAwait(false);
        var frames = hypotheses.AnalysedFrames.Where(f => f >= settings.MinFrame && f <= settings.MaxFrame).ToHashSet();

        // Metrics over no ground truth read as a score of 0, which would blame the tracker for the file or the range.
        if (!truth.Any(b => b.IsScored && frames.Contains(b.Frame)))
        {
            var scored = frames.Count == 0 ? "none: the range holds no frame the job analysed" : $"{frames.Min()} to {frames.Max()}";
            return new EvaluationResult.InvalidGroundTruth($"Invalid ground truth: no row with a conf other than 0 falls on the frames scored ({scored}), so there is nothing to score.");
        }

        return new EvaluationResult.Scored(MotEvaluator.Evaluate(truth, hypotheses.Boxes, settings.Iou, frames));
    }
}
