namespace VideoTracker.Core.Counting;

/// <summary>
/// Sits in front of a job's frame writer when its tool outputs track ids: counts crossings and dwell as the
/// frames go by and accumulates the heatmap, then writes <c>events.json</c> and <c>heatmap.png</c> beside
/// the results. Any tool that declares <see cref="CountingInputs"/> gets it; the tools know nothing of it.
/// </summary>
public sealed class CountingSink(IFrameSink inner, CountingSettings settings, int frameWidth, int frameHeight) : IFrameSink
{
    public const string EventsFileName = "events.json";

    public ZoneCounter Counter { get; } = new(settings);

    public HeatmapBuilder Heatmap { get; } = new(frameWidth, frameHeight);

    /// <summary>The sink for a job, or null when its tool takes no counting options.</summary>
    public static CountingSink? For(IReadOnlyList<ToolInput> inputs, ToolOptions options, string videoPath, IFrameSink inner)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!CountingInputs.IsCountingTool(inputs))
        {
            return null;
        }

        var info = VideoProbe.TryProbe(videoPath, out var probeError) ?? throw new VideoToolException(probeError ?? "The clip cannot be read.") { ClipUnreadable = true };
        var settings = CountingInputs.Read(options, info.Width, info.Height).Match(read => read, refused => throw new VideoToolException(refused.Detail));
        return new CountingSink(inner, settings, info.Width, info.Height);
    }

    public ValueTask WriteAsync(FrameDetections frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Counter.Add(frame.FrameIndex, frame.TimestampMs, frame.Detections);
        foreach (var d in frame.Detections)
        {
            if (d.TrackId is not null)
            {
                Heatmap.Add(Counter.Settings.AnchorOf(d.X1, d.Y1, d.X2, d.Y2));
            }
        }

        return inner.WriteAsync(frame, cancellationToken);
    }

    /// <summary>
    /// Writes the event log and the heatmap into <paramref name="resultsDirectory"/>; returns the counts.
    /// <paramref name="ffmpeg"/>, when there is one, takes the heatmap's backdrop from the clip cheaply.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ZoneCounts>> CompleteAsync(string resultsDirectory, string videoPath, string? ffmpeg, CancellationToken cancellationToken)
    {
        var report = Counter.Complete();
        var file = File.Create(Path.Combine(resultsDirectory, EventsFileName));
        await using (file.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(file, new EventLog(report.Events, report.Counts, report.DwellsMs), ResultJson.Options, cancellationToken).ConfigureAwait(false);
        }

        using var background = await Heatmap.RepresentativeFrameAsync(videoPath, ffmpeg, cancellationToken).ConfigureAwait(false);
        Heatmap.Save(Path.Combine(resultsDirectory, HeatmapBuilder.FileName), background);
        return report.Counts;
    }
}

/// <summary>
/// The body of <c>GET /v1/jobs/{id}/events</c>, stored as <c>events.json</c>. <c>dwells_ms</c> holds each
/// polygon's dwell times (null in logs written before it existed).
/// </summary>
public sealed record EventLog(
    IReadOnlyList<ZoneEvent> Events,
    IReadOnlyDictionary<string, ZoneCounts> Counts,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, IReadOnlyList<double>>? DwellsMs = null);
