namespace VideoTracker.Tests.Counting;

/// <summary>Every way a <c>zones</c> option is refused, each with an error that names the zone.</summary>
public class CountingZoneTests
{
    private const int Width = 640;
    private const int Height = 480;

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"name\": \"a\"}", "must be a JSON array")]
    [InlineData("[42]", "Zone #1: must be an object")]
    [InlineData("[{\"type\": \"line\", \"points\": [[0, 0], [1, 1]]}]", "Zone #1: 'name' must be text of 1 to 64 characters")]
    [InlineData("[{\"name\": \"\", \"type\": \"line\", \"points\": [[0, 0], [1, 1]]}]", "Zone #1: 'name' must be text of 1 to 64 characters")]
    [InlineData("[{\"name\": \"gate\", \"type\": \"circle\", \"points\": [[0, 0], [1, 1]]}]", "Zone 'gate': 'type' must be \"line\" or \"polygon\"")]
    [InlineData("[{\"name\": \"gate\", \"type\": \"line\"}]", "Zone 'gate': 'points' must be an array")]
    [InlineData("[{\"name\": \"gate\", \"type\": \"line\", \"points\": [[0, \"a\"], [1, 1]]}]", "Zone 'gate': 'points' must be an array of [x, y] pairs of numbers")]
    [InlineData("[{\"name\": \"gate\", \"type\": \"line\", \"points\": [[0, 0], [1, 1], [2, 5]]}]", "Zone 'gate': a line has exactly 2 points, not 3")]
    [InlineData("[{\"name\": \"gate\", \"type\": \"line\", \"points\": [[0, 0]]}]", "Zone 'gate': a line has exactly 2 points, not 1")]
    [InlineData("[{\"name\": \"gate\", \"type\": \"line\", \"points\": [[5, 5], [5, 5]]}]", "Zone 'gate': the line's two points are the same")]
    [InlineData("[{\"name\": \"plaza\", \"type\": \"polygon\", \"points\": [[0, 0], [10, 10]]}]", "Zone 'plaza': a polygon has 3 to 64 points, not 2")]
    [InlineData("[{\"name\": \"plaza\", \"type\": \"polygon\", \"points\": [[0, 0], [100, 100], [100, 0], [0, 100]]}]", "Zone 'plaza': the polygon intersects itself")]
    [InlineData("[{\"name\": \"plaza\", \"type\": \"polygon\", \"points\": [[0, 0], [50, 50], [100, 100]]}]", "Zone 'plaza': the polygon intersects itself")]
    [InlineData("[{\"name\": \"gate\", \"type\": \"line\", \"points\": [[100, 400], [641, 380]]}]", "Zone 'gate': the point (641, 380) lies outside the 640×480 frame")]
    [InlineData("[{\"name\": \"gate\", \"type\": \"line\", \"points\": [[-1, 400], [600, 380]]}]", "Zone 'gate': the point (-1, 400) lies outside the 640×480 frame")]
    [InlineData("[{\"name\": \"a\", \"type\": \"line\", \"points\": [[0, 0], [1, 1]]}, {\"name\": \"a\", \"type\": \"line\", \"points\": [[0, 0], [1, 1]]}]", "Zone 'a': the name is used by another zone")]
    public void ParseAll_InvalidZones_NamesTheZoneAndRule(string json, string expected)
    {
        var zones = CountingZone.ParseAll(json, Width, Height, out var error);

        Assert.Null(zones);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    /// <summary>Before the clip is read (at submit), a point left of or above the frame is refused without a made-up size.</summary>
    [Theory]
    [InlineData("[[-1, 1], [5, 5]]", "Zone 'g': the point (-1, 1) lies outside the frame, whose pixels start at (0, 0).")]
    [InlineData("[[1, -0.5], [5, 5]]", "Zone 'g': the point (1, -0.5) lies outside the frame, whose pixels start at (0, 0).")]
    public void ParseAll_BeforeTheFrameIsKnown_RefusesNegativePointsWithoutASize(string points, string expected)
    {
        var zones = CountingZone.ParseAll($$"""[{"name": "g", "type": "line", "points": {{points}}}]""", CountingInputs.FrameNotKnown, CountingInputs.FrameNotKnown, out var error);

        Assert.Null(zones);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void ParseAll_NameOf65Characters_IsRefused()
    {
        var json = $"[{{\"name\": \"{new string('n', 65)}\", \"type\": \"line\", \"points\": [[0, 0], [1, 1]]}}]";

        Assert.Null(CountingZone.ParseAll(json, Width, Height, out var error));
        Assert.Contains("1 to 64 characters", error, StringComparison.Ordinal);
        Assert.NotNull(CountingZone.ParseAll(json.Replace(new string('n', 65), new string('n', 64), StringComparison.Ordinal), Width, Height, out _));
    }

    [Fact]
    public void ParseAll_PolygonOf65Points_IsRefused()
    {
        static string Circle(int n) => "[{\"name\": \"round\", \"type\": \"polygon\", \"points\": [" + string.Join(", ", Enumerable.Range(0, n).Select(i =>
            FormattableString.Invariant($"[{320 + (100 * Math.Cos(2 * Math.PI * i / n)):0.###}, {240 + (100 * Math.Sin(2 * Math.PI * i / n)):0.###}]"))) + "]}]";

        Assert.Null(CountingZone.ParseAll(Circle(65), Width, Height, out var error));
        Assert.Contains("Zone 'round': a polygon has 3 to 64 points, not 65", error, StringComparison.Ordinal);
        Assert.NotNull(CountingZone.ParseAll(Circle(64), Width, Height, out _));
    }

    [Fact]
    public void ParseAll_ThirtyThreeZones_IsRefused()
    {
        static string Zones(int n) => "[" + string.Join(", ", Enumerable.Range(0, n).Select(i => $"{{\"name\": \"z{i}\", \"type\": \"line\", \"points\": [[0, {i}], [100, {i}]]}}")) + "]";

        Assert.Null(CountingZone.ParseAll(Zones(33), Width, Height, out var error));
        Assert.Contains("33 zones; at most 32", error, StringComparison.Ordinal);
        Assert.Equal(32, CountingZone.ParseAll(Zones(32), Width, Height, out _)!.Count);
    }

    [Fact]
    public void ParseAll_IssueExample_ParsesLineAndConcavePolygonOnTheFrameEdge()
    {
        const string json = """
            [{"name": "gate",  "type": "line",    "points": [[100, 400], [600, 380]]},
             {"name": "plaza", "type": "polygon", "points": [[0, 200], [640, 200], [640, 480], [300, 300], [0, 480]]}]
            """;

        var zones = CountingZone.ParseAll(json, Width, Height, out var error);

        Assert.Null(error);
        Assert.NotNull(zones);
        Assert.Equal(new[] { ZoneKind.Line, ZoneKind.Polygon }, zones.Select(z => z.Kind));
        Assert.Equal(new ZonePoint(600, 380), zones[0].Points[1]);
    }

    [Fact]
    public void Read_UnknownAnchor_IsRefused()
    {
        var options = ToolOptions.Bind(CountingInputs.All, new Dictionary<string, string?> { ["anchor"] = "left_foot" }).AssertBound();

        var refused = Assert.IsType<OptionsResult<CountingSettings>.Refused>(CountingInputs.Read(options, Width, Height));
        Assert.Contains("Option 'anchor' must be one of bottom_center, center, top_center", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(CountingInputs.Anchor, refused.Option?.Option);
    }

    [Theory]
    [InlineData("bottom_center", 20, 40)]
    [InlineData("center", 20, 25)]
    [InlineData("top_center", 20, 10)]
    public void Read_Anchor_PicksThatPointOfTheBox(string anchor, double x, double y)
    {
        var options = ToolOptions.Bind(CountingInputs.All, new Dictionary<string, string?> { ["anchor"] = anchor }).AssertBound();

        var settings = CountingInputs.Read(options, Width, Height).AssertBound();

        Assert.Equal(new ZonePoint(x, y), settings.AnchorOf(10, 10, 30, 40));
        Assert.Equal((2, true, 30), (settings.MinCrossingFrames, settings.Trails, settings.TrailLength));
    }
}
