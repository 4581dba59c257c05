using Microsoft.AspNetCore.Components.Forms;
using VideoTracker.App.Components.Shared;
using VideoTracker.Core.Evaluation;

namespace VideoTracker.Tests.Components;

/// <summary>The tracks table, the ground-truth evaluation and their wiring to the player on the job page.</summary>
public sealed class TrackingComponentsTests : MudComponentTest
{
    private readonly FakeJobService _jobs = new();

    private static readonly TrackRow[] Rows =
    [
        new(1, "person", 0, 30, 0, 3000, 31, 0.8, 120, true),
        new(2, "person", 5, 10, 500, 1000, 6, 0.7, 20, false),
        new(3, "person", 2, 50, 200, 5000, 49, 0.9, 300, true),
    ];

    public TrackingComponentsTests() => Services.AddSingleton<IJobService>(_jobs);

    [Fact]
    public void TracksTable_SortByDuration_OrdersRowsAndShowsThumbnailsOnlyWhereThereAreSome()
    {
        var cut = Render<TracksTable>(p => p.Add(x => x.JobId, FakeJobService.Id).Add(x => x.Tracks, Rows));

        Assert.Equal(["1", "2", "3"], cut.FindAll("[data-testid=track-id]").Select(e => e.TextContent));
        Assert.Equal(2, cut.FindAll("img").Count);
        Assert.Equal($"v1/jobs/{FakeJobService.Id}/tracks/1/thumbnail", cut.FindAll("img")[0].GetAttribute("src"));

        cut.Find("[data-testid=sort-duration]").Click();

        Assert.Equal(["2", "1", "3"], cut.FindAll("[data-testid=track-id]").Select(e => e.TextContent));
        Assert.Equal("0.5 s", cut.FindAll("[data-testid=track-duration]")[0].TextContent);
    }

    [Fact]
    public void TracksTable_RowClicked_RaisesTheRow()
    {
        TrackRow? chosen = null;
        var cut = Render<TracksTable>(p => p.Add(x => x.JobId, FakeJobService.Id).Add(x => x.Tracks, Rows).Add(x => x.OnSelect, r => chosen = r));

        cut.FindAll("tbody tr")[2].Click();

        Assert.Equal(3, chosen?.TrackId);
    }

    [Fact]
    public void TracksTable_ByKeyboard_EachRowHasANamedButtonThatRaisesItsRowAndEachSortLabelIsAButton()
    {
        TrackRow? chosen = null;
        var cut = Render<TracksTable>(p => p.Add(x => x.JobId, FakeJobService.Id).Add(x => x.Tracks, Rows).Add(x => x.OnSelect, r => chosen = r));

        // A native button: Enter and Space press it, and its click is the row's click.
        var rowButtons = cut.FindAll("tbody tr button");
        Assert.Equal(["Show track 1 in the player", "Show track 2 in the player", "Show track 3 in the player"], rowButtons.Select(b => b.GetAttribute("aria-label")));
        rowButtons[1].Click();
        Assert.Equal(2, chosen?.TrackId);

        var sortButtons = cut.FindAll("thead button");
        Assert.Equal(["Track", "Class", "First seen", "Last seen", "Duration"], sortButtons.Select(b => b.TextContent.Trim()));
        sortButtons[4].Click();
        Assert.Equal(["2", "1", "3"], cut.FindAll("[data-testid=track-id]").Select(e => e.TextContent));
    }

    [Fact]
    public void TracksTable_EveryCell_IsLabelledWithItsColumnForThePhoneLayout()
    {
        var cut = Render<TracksTable>(p => p.Add(x => x.JobId, FakeJobService.Id).Add(x => x.Tracks, Rows));

        foreach (var row in cut.FindAll("tbody tr"))
        {
            Assert.Equal(["Thumbnail", "Track", "Class", "First seen", "Last seen", "Duration"], row.QuerySelectorAll("td").Select(td => td.GetAttribute("data-label")));
        }
    }

    [Fact]
    public void TracksTable_ManyTracks_RendersOnePageAndThePagerReachesTheLastTrack()
    {
        var cut = Render<TracksTable>(p => p.Add(x => x.JobId, FakeJobService.Id).Add(x => x.Tracks, ManyTracks(500)));

        Assert.Equal([.. Enumerable.Range(1, 10).Select(i => i.ToString(CultureInfo.InvariantCulture))], TrackIds(cut));
        cut.Find("[data-testid=tracks-pager] button[aria-label='Last page']").Click();

        Assert.Equal([.. Enumerable.Range(491, 10).Select(i => i.ToString(CultureInfo.InvariantCulture))], TrackIds(cut));

        // A new order starts at its beginning.
        cut.Find("[data-testid=sort-id] button").Click();
        Assert.Equal([.. Enumerable.Range(491, 10).Reverse().Select(i => i.ToString(CultureInfo.InvariantCulture))], TrackIds(cut));
    }

    [Fact]
    public void TracksTable_TrackShownInThePlayer_IsMarkedAndItsPageShownAlsoAfterASort()
    {
        var tracks = ManyTracks(500);
        var cut = Render<TracksTable>(p => p.Add(x => x.JobId, FakeJobService.Id).Add(x => x.Tracks, tracks));

        // Chosen elsewhere (an event in the events table): its page comes up with it marked.
        cut.Render(p => p.Add(x => x.SelectedTrackId, 237));

        cut.WaitForAssertion(() => Assert.Equal([.. Enumerable.Range(231, 10).Select(i => i.ToString(CultureInfo.InvariantCulture))], TrackIds(cut)));
        Assert.Equal("Show track 237 in the player", Assert.Single(cut.FindAll("[data-testid=track-id] button[aria-current=true]")).GetAttribute("aria-label"));
        Assert.Contains("237", Assert.Single(cut.FindAll("tbody tr.vt-selected-row")).TextContent, StringComparison.Ordinal);

        // Sorted by duration, track 237 moves near the end (its 0.6 s is among the longest): the table follows it there.
        cut.Find("[data-testid=sort-duration] button").Click();

        cut.WaitForAssertion(() => Assert.Contains("237", TrackIds(cut)));
        var durations = tracks.OrderBy(r => r.LastMs - r.FirstMs).Select(r => r.TrackId).ToList();
        Assert.Equal(durations.IndexOf(237) / 10 * 10, durations.IndexOf(int.Parse(TrackIds(cut)[0], CultureInfo.InvariantCulture)));
        Assert.Single(cut.FindAll("tbody tr.vt-selected-row"));
    }

    [Fact]
    public async Task GroundTruthEvaluation_FileChosen_SendsItAndShowsTheFiguresAsCards()
    {
        _jobs.Evaluation = new EvaluationResult.Scored(new MotMetrics(0.5277, 0.2772, 0.5577, 0.73, 0.45, 0.94, 0.58, 7, 7, 13, 150, 1, 6, 1, 8, 13, 359, 222));
        var cut = Render<GroundTruthEvaluation>(p => p.Add(x => x.Job, FakeJobService.Job(Core.Jobs.JobStatus.Completed, 100).Job));

        await cut.InvokeAsync(() => cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("1,1,10,10,20,40,1\n", "gt.txt")));

        cut.WaitForAssertion(() => Assert.Equal("52.8%", cut.Find("[data-testid=metric-mota]").TextContent));
        Assert.Equal("55.8%", cut.Find("[data-testid=metric-idf1]").TextContent);
        Assert.Equal("7", cut.Find("[data-testid=metric-id-switches]").TextContent);
        Assert.Equal("1 / 6 / 1", cut.Find("[data-testid=metric-coverage]").TextContent);
        Assert.Equal("1,1,10,10,20,40,1\n", Assert.Single(_jobs.Evaluations).Text);
    }

    [Fact]
    public async Task GroundTruthEvaluation_BadFile_ShowsTheDetailNamingTheLine()
    {
        _jobs.Evaluation = new EvaluationResult.InvalidGroundTruth("Invalid ground truth: Line 3: field 3 ('x') is not a number.");
        var cut = Render<GroundTruthEvaluation>(p => p.Add(x => x.Job, FakeJobService.Job(Core.Jobs.JobStatus.Completed, 100).Job));

        await cut.InvokeAsync(() => cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("bad", "gt.txt")));

        cut.WaitForAssertion(() => Assert.Contains("Line 3", cut.Find("[data-testid=evaluation-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid^=metric-]"));
    }

    [Fact]
    public void JobResultsPanel_TrackingJobRowClicked_AsksThePlayerToShowThatTrack()
    {
        _jobs.Tracks = Rows;
        var player = JSInterop.SetupModule("./js/player.js");
        var handle = player.SetupModule(invocation => invocation.Identifier == "attach");
        handle.SetupVoid("showTrack", _ => true);
        var results = new JobResultsView(new ResultSummary(40, 40, 80, 0, new Dictionary<string, int> { ["person"] = 80 }, 3, 40, false, null), []);

        var cut = RenderWithProviders<JobResultsPanel>(p => p
            .Add(x => x.JobId, FakeJobService.Id)
            .Add(x => x.Results, results)
            .Add(x => x.Job, FakeJobService.Job(Core.Jobs.JobStatus.Completed, 100).Job));
        cut.FindAll("[data-testid=tracks-table] tbody tr")[2].Click();

        var call = handle.VerifyInvoke("showTrack");
        Assert.Equal(3, Convert.ToInt32(call.Arguments[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("3", cut.Find("[data-testid=tracks-table] tr.vt-selected-row [data-testid=track-id]").TextContent);
        Assert.Equal(200.0, Convert.ToDouble(call.Arguments[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(cut.Find("[data-testid=evaluation]"));
        Assert.Equal(["all", "coco", "csv", "cvat", "json", "mot"], cut.FindAll("[data-testid^=download-]").Select(e => e.GetAttribute("data-testid")!["download-".Length..]).Order());
    }

    /// <summary>
    /// An older tracking job's table is built on its first view and stored beside its results; when its folder may not be
    /// written, the panel says so where the tracks would be, and the rest of the results still show.
    /// </summary>
    [Fact]
    public void JobResultsPanel_TrackTableCannotBeStored_SaysSoInsteadOfFailing()
    {
        _jobs.TracksFailure = new UnauthorizedAccessException("Access to the path '/data/jobs/x/results/tracks.json' is denied.");
        JSInterop.SetupModule("./js/player.js").SetupModule(invocation => invocation.Identifier == "attach");
        var results = new JobResultsView(new ResultSummary(40, 40, 80, 0, new Dictionary<string, int> { ["person"] = 80 }, 3, 40, false, null), []);

        var cut = RenderWithProviders<JobResultsPanel>(p => p
            .Add(x => x.JobId, FakeJobService.Id)
            .Add(x => x.Results, results)
            .Add(x => x.Job, FakeJobService.Job(Core.Jobs.JobStatus.Completed, 100).Job));

        Assert.Equal($"The tracks cannot be shown. {DataFolderDenied.RequestDetail}", cut.Find("[data-testid=tracks-error]").TextContent.Trim());
        Assert.DoesNotContain("/data/jobs", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=tracks-table]"));
        Assert.Equal("80", cut.Find("[data-testid=summary-detections]").TextContent.Trim());
    }

    /// <summary><paramref name="count"/> tracks as the app's own builder makes them: track i is seen from frame i for i % 7 + 1 frames.</summary>
    private static IReadOnlyList<TrackRow> ManyTracks(int count)
    {
        using var table = new TrackTableBuilder();
        for (var frame = 0; frame < count + 7; frame++)
        {
            var present = Enumerable.Range(1, count).Where(id => frame >= id && frame <= id + (id % 7));
            table.Add(frame, frame * 100.0, [.. present.Select(id => new DetectedObject(0, 0, 10, 10, 0.9f, 0, "person", id))]);
        }

        return table.Rows();
    }

    private static string[] TrackIds(IRenderedComponent<TracksTable> cut) => [.. cut.FindAll("[data-testid=track-id]").Select(e => e.TextContent)];

    [Theory]
    [InlineData(0, "80")]
    [InlineData(12, "80 (12 filled in)")]
    public void JobResultsPanel_DetectionsCard_SaysHowManyBoxesTheTrackerFilledIn(long interpolated, string expected)
    {
        _jobs.Tracks = Rows;
        JSInterop.SetupModule("./js/player.js").SetupModule(invocation => invocation.Identifier == "attach");
        var results = new JobResultsView(new ResultSummary(40, 40, 80, interpolated, new Dictionary<string, int> { ["person"] = 80 }, 3, 40, false, null), []);

        var cut = RenderWithProviders<JobResultsPanel>(p => p
            .Add(x => x.JobId, FakeJobService.Id)
            .Add(x => x.Results, results)
            .Add(x => x.Job, FakeJobService.Job(Core.Jobs.JobStatus.Completed, 100).Job));

        Assert.Equal(expected, cut.Find("[data-testid=summary-detections]").TextContent.Trim());
    }
}
