namespace VideoTracker.Core.Counting;

/// <summary>Which point of a box stands for the object when it is counted.</summary>
public enum AnchorPoint
{
    BottomCenter,
    Center,
    TopCenter,
}

/// <summary>
/// The counting options of every tool that outputs <c>track_id</c>s, declared once. A tool that lists them
/// takes <c>zones</c>; any other tool answers 400 for <c>zones</c> as for any option it does not know.
/// </summary>
public static class CountingInputs
{
    public const string Zones = "zones";
    public const string Anchor = "anchor";
    public const string MinCrossingFrames = "min_crossing_frames";
    public const string Trails = "trails";
    public const string TrailLength = "trail_length";

    private static readonly Dictionary<string, AnchorPoint> Anchors = new(StringComparer.Ordinal)
    {
        ["bottom_center"] = AnchorPoint.BottomCenter,
        ["center"] = AnchorPoint.Center,
        ["top_center"] = AnchorPoint.TopCenter,
    };

    public static IReadOnlyList<ToolInput> All { get; } =
    [
        new(Zones, ToolInputType.Text, "Zones", "Counting lines and polygons as JSON, in source-video pixels: [{\"name\": \"gate\", \"type\": \"line\", \"points\": [[100, 400], [600, 380]]}]. Draw them on the New job page.", null),
        new(Anchor, ToolInputType.Text, "Anchor", "The point of each box that is counted: bottom_center, center or top_center.", "bottom_center"),
        new(MinCrossingFrames, ToolInputType.WholeNumber, "Min crossing frames", "A crossing, enter or exit counts only once the track has stayed on its new side this many analysed frames.", 2, 1, 1000),
        new(Trails, ToolInputType.Boolean, "Trails", "Draw each track's last anchor points in the player and the annotated video.", true),
        new(TrailLength, ToolInputType.WholeNumber, "Trail length", "How many anchor points a trail keeps.", 30, 1, 1000),
    ];

    /// <summary>Whether a tool takes the counting options (it outputs track ids).</summary>
    public static bool IsCountingTool(IReadOnlyList<ToolInput> inputs) =>
        inputs.Any(i => string.Equals(i.Name, Zones, StringComparison.Ordinal));

    /// <summary>The frame size to pass before the clip is known: every rule but the frame's bounds is checked.</summary>
    public const int FrameNotKnown = int.MaxValue;

    /// <summary>
    /// Reads and checks the counting options of a job against its clip's frame size (or <see cref="FrameNotKnown"/>).
    /// Refuses naming the option that is wrong: the anchor, or the zones (whose detail also names the zone).
    /// </summary>
    public static OptionsResult<CountingSettings> Read(ToolOptions options, int frameWidth, int frameHeight)
    {
        ArgumentNullException.ThrowIfNull(options);
        var anchorText = options.Text(Anchor) ?? string.Empty;
        if (!Anchors.TryGetValue(anchorText, out var anchor))
        {
            return new OptionsResult<CountingSettings>.Refused(new OptionError(Anchor, $"must be one of {string.Join(", ", Anchors.Keys)}, not '{anchorText}'."));
        }

        IReadOnlyList<CountingZone> zones = [];
        if (options.Text(Zones) is { } json && !string.IsNullOrWhiteSpace(json))
        {
            var parsed = CountingZone.ParseAll(json, frameWidth, frameHeight, out var error);
            if (parsed is null)
            {
                return new OptionsResult<CountingSettings>.Refused(error!, ZonesRefused(error!));
            }

            zones = parsed;
        }

        return new OptionsResult<CountingSettings>.Bound(new CountingSettings(
            zones,
            anchor,
            options.WholeNumber(MinCrossingFrames),
            options.Flag(Trails),
            options.WholeNumber(TrailLength)));
    }

    /// <summary>The zones option refused with <paramref name="error"/>: "Option 'zones' is not valid JSON: …", or "Zone 'gate': …".</summary>
    private static OptionError ZonesRefused(string error)
    {
        var prefix = $"Option '{Zones}' ";
        return new OptionError(Zones, error.StartsWith(prefix, StringComparison.Ordinal) ? error[prefix.Length..] : $"is refused: {error}");
    }

    public static string AnchorName(AnchorPoint anchor) => Anchors.First(a => a.Value == anchor).Key;
}

/// <summary>A job's validated counting options.</summary>
public sealed record CountingSettings(
    IReadOnlyList<CountingZone> Zones,
    AnchorPoint Anchor,
    int MinCrossingFrames,
    bool Trails,
    int TrailLength)
{
    /// <summary>The anchor of a box <c>(x1, y1, x2, y2)</c>.</summary>
    public ZonePoint AnchorOf(double x1, double y1, double x2, double y2) => Anchor switch
    {
        AnchorPoint.Center => new((x1 + x2) / 2, (y1 + y2) / 2),
        AnchorPoint.TopCenter => new((x1 + x2) / 2, y1),
        _ => new((x1 + x2) / 2, y2),
    };
}
