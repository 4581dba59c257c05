using OpenCvSharp;

namespace VideoTracker.Tests.Counting;

/// <summary>Counting through a real job: generated clip, real decoding, the squares tool's track ids, the API.</summary>
public sealed class CountingApiTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private string SceneClip => SquaresClip.Write(
        factory.Clips.Path, "scene.avi", CountingScene.Width, CountingScene.Height, CountingScene.Fps, CountingScene.Frames, CountingScene.Squares);

    /// <summary>The first frame whose anchor is past <paramref name="past"/>, from the path itself.</summary>
    private static int FirstFrame(SquarePath square, Func<(double X, double Y), bool> past) =>
        Enumerable.Range(0, CountingScene.Frames).First(f => past(square.AnchorAt(f, CountingScene.Frames)));

    [Fact]
    public async Task Events_SceneWithGateAndPolygon_MatchCountsComputedFromThePaths()
    {
        var job = await _client.SubmitCompletedAsync(SceneClip, TestPlugin.PluginId, SquaresClip.Tool.Id, new Dictionary<string, string> { ["zones"] = CountingScene.ZonesJson });

        var log = await _client.GetJsonAsync($"/v1/jobs/{job}/events");

        var squares = CountingScene.Squares;
        var frameMs = 1000 / CountingScene.Fps;
        var expectedIn = FirstFrame(squares[0], p => p.Y > CountingScene.GateY);
        var expectedOut = FirstFrame(squares[1], p => p.Y < CountingScene.GateY);
        var expectedExit = FirstFrame(squares[1], p => !CountingScene.InRight(p));
        var expectedEnter = FirstFrame(squares[2], CountingScene.InRight);
        var events = log.GetProperty("events").EnumerateArray()
            .Select(e => (Frame: e.GetProperty("frame_index").GetInt32(), Track: e.GetProperty("track_id").GetInt32(), Zone: e.GetProperty("zone").GetString(), Type: e.GetProperty("type").GetString()))
            .ToList();
        Assert.Equal(
            new[] { (0, 2, "right", "enter"), (expectedIn, 1, "gate", "in"), (expectedOut, 2, "gate", "out"), (expectedExit, 2, "right", "exit"), (expectedEnter, 3, "right", "enter") }
                .OrderBy(e => e.Item1).ThenBy(e => e.Item2),
            events.Select(e => (e.Frame, e.Track, e.Zone!, e.Type!)));
        var exit = log.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "exit");
        Assert.Equal(expectedExit * frameMs, exit.GetProperty("dwell_ms").GetDouble());
        Assert.Equal(expectedExit * frameMs, exit.GetProperty("timestamp_ms").GetDouble());

        var gate = log.GetProperty("counts").GetProperty("gate");
        Assert.Equal((1, 1), (gate.GetProperty("in").GetInt32(), gate.GetProperty("out").GetInt32()));
        Assert.Equal(1, gate.GetProperty("by_class").GetProperty("square").GetProperty("in").GetInt32());
        var right = log.GetProperty("counts").GetProperty("right");
        var dwells = new[] { expectedExit * frameMs, (CountingScene.Frames - expectedEnter) * frameMs };   // track 3 stays to the clip's end, its last frame included
        Assert.Equal((2, 1), (right.GetProperty("entered").GetInt32(), right.GetProperty("exited").GetInt32()));
        Assert.Equal(dwells.Max(), right.GetProperty("max_dwell_ms").GetDouble());
        Assert.Equal(dwells.Average(), right.GetProperty("mean_dwell_ms").GetDouble());
        Assert.Equal(dwells.Order(), log.GetProperty("dwells_ms").GetProperty("right").EnumerateArray().Select(d => d.GetDouble()));
        Assert.False(log.GetProperty("dwells_ms").TryGetProperty("gate", out _));

        var detail = await _client.GetJsonAsync($"/v1/jobs/{job}");
        Assert.Equal(1, detail.GetProperty("results").GetProperty("results").GetProperty("summary").GetProperty("counts").GetProperty("gate").GetProperty("out").GetInt32());
    }

    [Fact]
    public async Task EventsCsvAndHeatmap_CompletedCountingJob_ServeTheLogAndAPngAtClipSize()
    {
        var job = await _client.SubmitAsync(SceneClip, TestPlugin.PluginId, SquaresClip.Tool.Id, new Dictionary<string, string>
        {
            ["zones"] = CountingScene.ZonesJson,
            ["frame_stride"] = "2",
        });
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(job)).Status());

        var csv = await _client.GetStringAsync($"/v1/jobs/{job}/events?format=csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("frame_index,timestamp_ms,track_id,class_name,zone,type,dwell_ms", lines[0]);
        Assert.Equal(5, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Equal(0, int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture) % 2));
        Assert.Contains(lines, l => l.EndsWith(",gate,in,", StringComparison.Ordinal));

        using var response = await _client.GetAsync($"/v1/jobs/{job}/heatmap");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        using var png = Cv2.ImDecode(await response.Content.ReadAsByteArrayAsync(), ImreadModes.Color);
        Assert.Equal((CountingScene.Width, CountingScene.Height), (png.Width, png.Height));
        var onPath = png.At<Vec3b>(150, 80);     // track 1's anchors pass x = 80
        var offPath = png.At<Vec3b>(10, 300);    // nothing ever there
        Assert.NotEqual(onPath, offPath);
        Assert.Equal(new Vec3b(0, 0, 0), offPath);
    }

    [Fact]
    public async Task Events_JobWithoutCounting_Returns404WithDetail()
    {
        var job = await _client.SubmitAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: "plain.avi"), TestPlugin.PluginId, "gated");
        factory.Plugin.Gated.Gate.Release(5);
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(job)).Status());

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{job}/events"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("no event log", problem.Detail(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadCountingOptions => new()
    {
        { "zones", "[{\"name\": \"gate\", \"type\": \"line\", \"points\": [[20, 100], [330, 100]]}]", "Zone 'gate': the point (330, 100) lies outside the 320×240 frame" },
        { "zones", "[{\"name\": \"plaza\", \"type\": \"polygon\", \"points\": [[0, 0], [100, 100], [100, 0], [0, 100]]}]", "Zone 'plaza': the polygon intersects itself" },
        { "zones", "[{\"name\": \"gate\", \"type\": \"line\", \"points\": [[0, 0]]}]", "Zone 'gate': a line has exactly 2 points" },
        { "zones", "{}", "must be a JSON array" },
        { "zones", "[{\"name\": ", "Option 'zones' is not valid JSON" },
        { "anchor", "feet", "Option 'anchor' must be one of" },
        { "min_crossing_frames", "0", "Option 'min_crossing_frames' must be between 1 and" },
    };

    [Theory]
    [MemberData(nameof(BadCountingOptions))]
    public async Task Submit_BadCountingOption_Returns400NamingIt(string name, string value, string expected)
    {
        using var form = ApiClient.SubmitForm(SceneClip, TestPlugin.PluginId, SquaresClip.Tool.Id, new Dictionary<string, string> { [name] = value });

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = form });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, problem.Detail(), StringComparison.Ordinal);
        Assert.Equal(name, problem.GetProperty("option").GetString());
    }

    [Fact]
    public async Task Submit_ZonesOnToolWithoutTrackIds_Returns400()
    {
        using var form = ApiClient.SubmitForm(SceneClip, fields: new Dictionary<string, string> { ["zones"] = CountingScene.ZonesJson });

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = form });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Unknown option 'zones'", problem.Detail(), StringComparison.Ordinal);
    }
}
