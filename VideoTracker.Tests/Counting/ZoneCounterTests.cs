namespace VideoTracker.Tests.Counting;

/// <summary>
/// The counting rules, each case named after the bug it prevents in other counters: supervision#1838
/// (a line near the frame edge never counts), supervision#518 (objects that never touch the line are
/// counted), supervision PR #2600 (a flicker counts as a crossing the other way).
/// </summary>
public class ZoneCounterTests
{
    private const double Fps = 25;

    private static CountingZone Line(string name, double ax, double ay, double bx, double by) =>
        new(name, ZoneKind.Line, [new(ax, ay), new(bx, by)]);

    private static CountingZone Polygon(string name, params (double X, double Y)[] points) =>
        new(name, ZoneKind.Polygon, [.. points.Select(p => new ZonePoint(p.X, p.Y))]);

    private static ZoneCounter Counter(int minFrames, params CountingZone[] zones) =>
        new(new CountingSettings(zones, AnchorPoint.BottomCenter, minFrames, true, 30));

    /// <summary>Feeds one track's anchors at consecutive frames starting at <paramref name="firstFrame"/>.</summary>
    private static void Walk(ZoneCounter counter, int trackId, int firstFrame, params (double X, double Y)[] anchors)
    {
        for (var i = 0; i < anchors.Length; i++)
        {
            var frame = firstFrame + i;
            counter.Add(frame, frame * 1000 / Fps, [Box(trackId, "person", anchors[i].X, anchors[i].Y)]);
        }
    }

    /// <summary>A tracked box whose bottom centre (the anchor these counters count) is (x, y).</summary>
    private static DetectedObject Box(int trackId, string className, double x, double y) =>
        new((float)x - 10, (float)y - 40, (float)x + 10, (float)y, 0.9f, 0, className, trackId);

    [Fact]
    public void Add_LineNearFrameEdge_CountsCrossing()
    {
        // supervision#1838: a line 5 px above the bottom of a 640×480 frame. The boxes are clipped by the
        // frame, so only the bottom-centre anchor (not all four corners) can get past it, and it does.
        var counter = Counter(2, Line("edge", 0, 475, 640, 475));
        var boxes = new (float Y1, float Y2)[] { (380, 460), (390, 470), (398, 478), (400, 480), (405, 480) };
        for (var i = 0; i < boxes.Length; i++)
        {
            counter.Add(i, i * 40, [new DetectedObject(300, boxes[i].Y1, 340, boxes[i].Y2, 0.9f, 0, "person", 7)]);
        }

        var report = counter.Complete();

        var crossing = Assert.Single(report.Events);
        Assert.Equal((2, "in", 7, "edge"), (crossing.FrameIndex, crossing.Type, crossing.TrackId, crossing.Zone));
        Assert.Equal(1, report.Counts["edge"].In);
    }

    [Fact]
    public void Add_TrackPassingBesideSegment_CountsNothing()
    {
        // supervision#518: the track changes side of the line's infinite extension at x = 300, beside
        // the segment (100..200), so nothing crossed. Coming back through the segment then counts once.
        var counter = Counter(2, Line("gate", 100, 100, 200, 100));
        Walk(counter, 1, 0, (300, 50), (300, 90), (300, 110), (300, 150), (300, 160));
        Assert.Empty(counter.Complete().Events);

        Walk(counter, 1, 5, (150, 150), (150, 60), (150, 50));
        var back = Assert.Single(counter.Complete().Events);
        Assert.Equal(("out", 6), (back.Type, back.FrameIndex));
    }

    [Fact]
    public void Add_JitterOnTheLine_CountsOnlyOnceSettled()
    {
        // A box whose anchor shakes by a pixel around (and onto) the line, as detectors' boxes do.
        var counter = Counter(2, Line("gate", 0, 100, 200, 100));
        Walk(counter, 3, 0, (100, 99), (100, 101), (100, 99), (100, 100), (100, 101), (100, 99), (100, 101), (100, 99));
        Assert.Empty(counter.Complete().Events);

        Walk(counter, 3, 8, (100, 101), (100, 100), (100, 103));
        var settled = Assert.Single(counter.Complete().Events);
        Assert.Equal(("in", 8), (settled.Type, settled.FrameIndex));
    }

    [Fact]
    public void Add_BackAndForthWithinMinCrossingFrames_CountsNothing()
    {
        // supervision PR #2600: a flicker across and back must not count an "in" nor a reverse "out".
        var counter = Counter(3, Line("gate", 0, 100, 200, 100));
        Walk(counter, 4, 0, (100, 90), (100, 110), (100, 112), (100, 90), (100, 85), (100, 80), (100, 75));

        var report = counter.Complete();

        Assert.Empty(report.Events);
        Assert.Equal((0, 0), (report.Counts["gate"].In, report.Counts["gate"].Out));
    }

    [Fact]
    public void Add_TwoCrossingsByOneTrack_CountsEach()
    {
        var counter = Counter(2, Line("gate", 0, 100, 200, 100));
        Walk(counter, 5, 0, (50, 80), (50, 120), (50, 130), (50, 90), (50, 70), (50, 120), (50, 140));

        var report = counter.Complete();

        Assert.Equal(new[] { "in", "out", "in" }, report.Events.Select(e => e.Type));
        Assert.Equal(new[] { 1, 3, 5 }, report.Events.Select(e => e.FrameIndex));
        Assert.Equal((2, 1), (report.Counts["gate"].In, report.Counts["gate"].Out));
        Assert.Equal(2, report.Counts["gate"].ByClass!["person"].In);
    }

    [Fact]
    public void Add_ConcavePolygonWithNotch_IgnoresTracksInTheNotch()
    {
        // A U shape: the notch (x 40..60, y 0..70) is outside although it lies within the bounding box.
        var u = Polygon("u", (0, 0), (40, 0), (40, 70), (60, 70), (60, 0), (100, 0), (100, 100), (0, 100));
        var counter = Counter(2, u);
        Walk(counter, 1, 0, (50, 5), (50, 20), (50, 40), (50, 60), (50, 40), (50, 10));
        Walk(counter, 2, 0, (20, 120), (20, 90), (20, 50), (20, 20), (20, 120), (20, 130));

        var report = counter.Complete();

        Assert.DoesNotContain(report.Events, e => e.TrackId == 1);
        Assert.Equal(new[] { "enter", "exit" }, report.Events.Where(e => e.TrackId == 2).Select(e => e.Type));
        Assert.Equal((1, 1), (report.Counts["u"].Entered, report.Counts["u"].Exited));
        var exit = report.Events.Single(e => e.Type == "exit");
        Assert.Equal((4, 120.0), (exit.FrameIndex, exit.DwellMs));
    }

    [Fact]
    public void Complete_TrackThatNeverLeaves_DwellsToTheEndOfItsLastFrame()
    {
        var counter = Counter(2, Polygon("plaza", (0, 0), (100, 0), (100, 100), (0, 100)));
        Walk(counter, 9, 0, (150, 50), (150, 50), (50, 50), (50, 50), (50, 50), (50, 50), (50, 50), (50, 50), (50, 50), (50, 50), (50, 50));

        var report = counter.Complete();

        var enter = Assert.Single(report.Events);
        Assert.Equal(("enter", 2), (enter.Type, enter.FrameIndex));
        var plaza = report.Counts["plaza"];
        Assert.Equal((1, 0), (plaza.Entered, plaza.Exited));
        // Inside on frames 2 to 10: 9 frames, to the end of the last one.
        Assert.Equal((11 - 2) * 1000 / Fps, plaza.MaxDwellMs);
        Assert.Equal(plaza.MaxDwellMs, plaza.MeanDwellMs);
    }

    [Fact]
    public void Add_FrameStrideGreaterThanOne_StampsAnalysedFrameWithSourceTimestamps()
    {
        // Every 5th frame of a 30 fps clip is analysed: the crossing happens between frames 5 and 10,
        // is stamped at 10, and dwell is measured in source milliseconds, not analysed-frame counts.
        var counter = Counter(2, Line("gate", 0, 100, 200, 100), Polygon("box", (0, 100), (200, 100), (200, 300), (0, 300)));
        var ys = new[] { 60, 80, 120, 140, 160, 310, 320 };
        for (var i = 0; i < ys.Length; i++)
        {
            var frame = i * 5;
            counter.Add(frame, Math.Round(frame * 1000 / 30.0, 3), [Box(1, "person", 100, ys[i])]);
        }

        var report = counter.Complete();

        var crossing = report.Events.Single(e => e.Zone == "gate");
        Assert.Equal(("in", 10, 333.333), (crossing.Type, crossing.FrameIndex, crossing.TimestampMs));
        var exit = report.Events.Single(e => e.Type == "exit");
        Assert.Equal((25, 500.0), (exit.FrameIndex, exit.DwellMs));
    }

    [Fact]
    public void Add_TrackInsideOverlappingZones_CountsEachZoneAndClass()
    {
        var counter = Counter(1, Polygon("left", (0, 0), (60, 0), (60, 100), (0, 100)), Polygon("all", (0, 0), (100, 0), (100, 100), (0, 100)));
        counter.Add(0, 0, [Box(1, "person", 50, 50), Box(2, "bicycle", 80, 50)]);

        var counts = counter.Complete().Counts;

        Assert.Equal(1, counts["left"].Entered);
        Assert.Equal(2, counts["all"].Entered);
        Assert.Equal(new[] { "bicycle", "person" }, counts["all"].ByClass!.Keys);
    }

    [Theory]
    [InlineData(384, 0)]      // top edge
    [InlineData(768, 288)]    // right edge
    [InlineData(384, 576)]    // bottom edge
    [InlineData(0, 288)]      // left edge
    [InlineData(0, 0)]        // each corner
    [InlineData(768, 0)]
    [InlineData(768, 576)]
    [InlineData(0, 576)]
    [InlineData(384, 288)]    // and the middle
    public void Contains_PointOnAnyEdgeOrCornerOfTheFrame_IsInside(double x, double y)
    {
        ZonePoint[] frame = [new(0, 0), new(768, 0), new(768, 576), new(0, 576)];

        Assert.True(ZoneGeometry.Contains(frame, new ZonePoint(x, y)));
    }

    [Theory]
    [InlineData(768.01, 288)]
    [InlineData(384, 576.01)]
    [InlineData(-0.01, 288)]
    [InlineData(384, -0.01)]
    public void Contains_PointJustOutsideAnEdge_IsOutside(double x, double y)
    {
        ZonePoint[] frame = [new(0, 0), new(768, 0), new(768, 576), new(0, 576)];

        Assert.False(ZoneGeometry.Contains(frame, new ZonePoint(x, y)));
    }

    [Fact]
    public void Contains_BoundaryOfASlantedAndAConcavePolygon_IsInsideAndTheNotchStaysOutside()
    {
        ZonePoint[] triangle = [new(0, 0), new(100, 0), new(0, 100)];
        ZonePoint[] u = [new(0, 0), new(40, 0), new(40, 70), new(60, 70), new(60, 0), new(100, 0), new(100, 100), new(0, 100)];

        Assert.True(ZoneGeometry.Contains(triangle, new ZonePoint(50, 50)));      // on the slanted edge
        Assert.False(ZoneGeometry.Contains(triangle, new ZonePoint(50.5, 50)));
        Assert.True(ZoneGeometry.Contains(u, new ZonePoint(50, 70)));             // the notch's floor
        Assert.True(ZoneGeometry.Contains(u, new ZonePoint(40, 30)));             // its wall
        Assert.False(ZoneGeometry.Contains(u, new ZonePoint(50, 30)));            // inside the notch
    }

    [Fact]
    public void Add_TrackWalkingOntoTheBottomAndRightEdgesOfAWholeFrameZone_EntersOnceAndNeverExits()
    {
        // A bottom-centre anchor of a box clipped to a 768×576 frame sits on the bottom edge; a centre anchor can touch the right one.
        var counter = Counter(2, Polygon("frame", (0, 0), (768, 0), (768, 576), (0, 576)));
        Walk(counter, 1, 0, (300, 500), (300, 560), (300, 576), (300, 576), (300, 576), (768, 400), (768, 576), (700, 570));

        var report = counter.Complete();

        var enter = Assert.Single(report.Events);
        Assert.Equal(("enter", 0), (enter.Type, enter.FrameIndex));
        Assert.Equal((1, 0), (report.Counts["frame"].Entered, report.Counts["frame"].Exited));
    }

    [Fact]
    public void Add_LineAlongTheFrameEdge_CountsOnlyStepsThatCrossIt()
    {
        // The line rule does not use polygon containment: an anchor that arrives on the line and stays is on neither side.
        var counter = Counter(2, Line("bottom", 0, 576, 768, 576));
        Walk(counter, 1, 0, (300, 500), (300, 560), (300, 576), (300, 576), (300, 570));

        Assert.Empty(counter.Complete().Events);
    }

    [Fact]
    public void Complete_FourFramesInsideAtFrameStrideThree_DwellFourIntervalsWhetherTheTrackExitsEndsMidRunOrEndsWithTheRun()
    {
        // Every 3rd frame of a 30 fps clip is analysed: 100 ms apart. Analysed frame i is frame 3i, at 100·i ms.
        var counter = Counter(2, Polygon("plaza", (0, 0), (100, 0), (100, 100), (0, 100)));
        (double X, double Y) outside = (150, 50), inside = (50, 50);
        var paths = new Dictionary<int, (int First, (double X, double Y)[] Anchors)>
        {
            [1] = (0, [outside, inside, inside, inside, inside, outside, outside]),   // exits at i = 5
            [2] = (0, [outside, inside, inside, inside, inside]),                    // ends inside at i = 4, the run goes on
            [3] = (3, [outside, inside, inside, inside, inside]),                    // ends inside with the run, at i = 7
        };
        for (var i = 0; i <= 7; i++)
        {
            foreach (var (id, (first, anchors)) in paths.Where(p => i >= p.Value.First && i - p.Value.First < p.Value.Anchors.Length))
            {
                var (x, y) = anchors[i - first];
                counter.Add(3 * i, Math.Round(3 * i * 1000 / 30.0, 3), [Box(id, "person", x, y)]);
            }
        }

        var report = counter.Complete();

        Assert.Equal(400.0, report.Events.Single(e => e.Type == "exit").DwellMs);
        Assert.Equal([400.0, 400.0, 400.0], report.DwellsMs["plaza"]);
        Assert.Equal((3, 1, 400.0), (report.Counts["plaza"].Entered, report.Counts["plaza"].Exited, report.Counts["plaza"].MaxDwellMs));
    }
}
