using Microsoft.AspNetCore.Components;
using VideoTracker.App.Components.Counting;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.Tests.Components;

/// <summary>The counting results on the job page: count cards, dwell histograms, heatmap, events and webhook status.</summary>
public sealed class CountingComponentsTests : MudComponentTest
{
    private readonly FakeJobService _jobs = new();

    private static readonly CountingSettings Settings = new(
        [
            new("gate", ZoneKind.Line, [new(20, 120), new(300, 120)]),
            new("plaza", ZoneKind.Polygon, [new(200, 150), new(320, 150), new(320, 240), new(200, 240)]),
        ],
        AnchorPoint.BottomCenter,
        2,
        true,
        30);

    private static readonly EventLog Log = new(
        [
            new(0, 0, 2, "person", "plaza", "enter"),
            new(12, 1200, 1, "person", "gate", "in"),
            new(20, 2000, 2, "person", "gate", "out"),
            new(30, 3000, 2, "person", "plaza", "exit", 3000),
            new(31, 3100, 3, "car", "gate", "in"),
        ],
        new Dictionary<string, ZoneCounts>
        {
            ["gate"] = new() { Type = "line", In = 2, Out = 1 },
            ["plaza"] = new() { Type = "polygon", Entered = 3, Exited = 1, MeanDwellMs = 2500, MaxDwellMs = 61_000 },
        },
        new Dictionary<string, IReadOnlyList<double>> { ["plaza"] = [500, 3000, 61_000] });

    public CountingComponentsTests() => Services.AddSingleton<IJobService>(_jobs);

    private static VideoJob Job => FakeJobService.Job(JobStatus.Completed, 100).Job;

    [Fact]
    public void CountingPanel_CompletedJob_ShowsCardsPerZoneInOrderWithTheServersCounts()
    {
        _jobs.Events = Log;

        var cut = Render<CountingPanel>(p => p.Add(x => x.JobId, FakeJobService.Id).Add(x => x.Job, Job).Add(x => x.Settings, Settings));

        Assert.Equal(["2", "1", "1"], new[] { "in", "out", "net" }.Select(k => cut.Find($"[data-testid=count-0-{k}]").TextContent));
        Assert.Equal(["3", "1", "2", "2.5 s", "1:01"], new[] { "entered", "exited", "inside", "mean-dwell", "max-dwell" }.Select(k => cut.Find($"[data-testid=count-1-{k}]").TextContent));
        Assert.Contains("#ffc107", cut.Find("[data-testid=count-card-0]").GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal($"v1/jobs/{FakeJobService.Id}/heatmap", cut.Find("img[data-testid=heatmap]").GetAttribute("src"));
        Assert.EndsWith("events?format=csv", cut.Find("a[data-testid=download-events]").GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal(5, cut.FindAll("[data-testid=event-type]").Count);
        Assert.Empty(cut.FindAll("[data-testid=dwell-0]"));
        Assert.Single(cut.FindAll("[data-testid=dwell-1]"));
    }

    [Fact]
    public void CountingPanel_ClickOnAnEvent_RaisesItForThePlayer()
    {
        _jobs.Events = Log;
        ZoneEvent? selected = null;
        var cut = Render<CountingPanel>(p => p.Add(x => x.JobId, FakeJobService.Id).Add(x => x.Job, Job).Add(x => x.Settings, Settings)
            .Add(x => x.OnSelect, EventCallback.Factory.Create<ZoneEvent>(this, e => selected = e)));

        cut.FindAll("[data-testid=events-table] tbody tr")[2].Click();

        Assert.Equal(Log.Events[2], selected);
        Assert.Equal("0:02.000", cut.FindAll("[data-testid=event-time]")[2].TextContent);
    }

    [Fact]
    public void CountingPanel_WithoutAnEventLog_SaysSo()
    {
        var cut = Render<CountingPanel>(p => p.Add(x => x.JobId, FakeJobService.Id).Add(x => x.Job, Job).Add(x => x.Settings, Settings));

        Assert.Equal("This job has no event log.", cut.Find("[data-testid=counting-missing]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=count-cards]"));
    }

    [Fact]
    public void DwellHistogram_ThreeDwells_PutsEachInItsBinWithTheLongestInTheLast()
    {
        var bins = DwellHistogram.Bins([500, 3000, 61_000], 10);

        Assert.Equal(10, bins.Count);
        Assert.Equal(2, bins[0].Count);
        Assert.Equal(1, bins[^1].Count);
        Assert.Equal(61_000, bins[^1].ToMs, 6);

        var cut = Render<DwellHistogram>(p => p.Add(x => x.Name, "plaza").Add(x => x.DwellsMs, [500, 3000, 61_000]));
        Assert.Equal(3, cut.FindAll("rect").Sum(r => int.Parse(r.GetAttribute("data-count")!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("3 from 0.5 s to 1:01", cut.Find("svg").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void WebhookStatus_Deliveries_ShowStatusAttemptsAndAnswerWithoutTheQueryString()
    {
        _jobs.AddDelivery("https://hooks.example/in?token=secret", WebhookDeliveryStatus.Delivered, attempts: 2, lastStatusCode: 200).DeliveredAt = new DateTime(2026, 11, 27, 8, 27, 5, DateTimeKind.Utc);
        _jobs.AddDelivery("https://other.example/x", WebhookDeliveryStatus.Failed, attempts: 1, lastStatusCode: 404);

        var cut = Render<WebhookStatus>(p => p.Add(x => x.JobId, FakeJobService.Id).Add(x => x.JobEnded, true));

        Assert.Equal(["delivered", "failed"], cut.FindAll("[data-testid=webhook-status]").Select(e => e.TextContent.Trim()));
        Assert.DoesNotContain("secret", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("2 attempts · last answer HTTP 200 · delivered 2026-11-27 08:27:05 UTC", cut.FindAll("[data-testid=webhook-detail]")[0].TextContent);   // labelled: never the server's own zone
        Assert.Equal("1 attempt · last answer HTTP 404", cut.FindAll("[data-testid=webhook-detail]")[1].TextContent);
    }

    [Fact]
    public void WebhookStatus_PendingDelivery_RefreshesUntilItIsDelivered()
    {
        var delivery = _jobs.AddDelivery("http://127.0.0.1:9/hook", WebhookDeliveryStatus.Pending, attempts: 1, lastStatusCode: 500);
        var cut = Render<WebhookStatus>(p => p.Add(x => x.JobId, FakeJobService.Id).Add(x => x.JobEnded, true));
        Assert.Equal("pending", cut.Find("[data-testid=webhook-status]").TextContent.Trim());

        delivery.Status = WebhookDeliveryStatus.Delivered;
        delivery.Attempts = 2;
        Time.Advance(TimeSpan.FromSeconds(3));

        cut.WaitForAssertion(() => Assert.Equal("delivered", cut.Find("[data-testid=webhook-status]").TextContent.Trim()));
    }

    [Fact]
    public void WebhookStatus_NoDeliveries_RendersNothing()
    {
        var cut = Render<WebhookStatus>(p => p.Add(x => x.JobId, FakeJobService.Id).Add(x => x.JobEnded, true));

        Assert.Empty(cut.FindAll("[data-testid=webhooks]"));
    }

    [Fact]
    public void EventsTable_ByKeyboard_EachRowHasANamedButtonThatRaisesItsEventAndEachSortLabelIsAButton()
    {
        ZoneEvent? chosen = null;
        var cut = Render<EventsTable>(p => p.Add(x => x.Events, Log.Events).Add(x => x.OnSelect, e => chosen = e));

        var rowButtons = cut.FindAll("tbody tr button");
        Assert.Equal("Show 0:01.200 in the player", rowButtons[1].GetAttribute("aria-label"));
        rowButtons[1].Click();
        Assert.Equal(12, chosen?.FrameIndex);

        var sortButtons = cut.FindAll("thead button");
        Assert.Equal(["Time", "Zone", "Event", "Track", "Dwell"], sortButtons.Select(b => b.TextContent.Trim()));
        sortButtons[3].Click();
        Assert.Equal("12", cut.FindAll("[data-testid=event-frame]")[0].TextContent);   // track 1
        sortButtons[3].Click();
        Assert.Equal("31", cut.FindAll("[data-testid=event-frame]")[0].TextContent);
    }

    [Fact]
    public void EventsTable_EveryCell_IsLabelledWithItsColumnForThePhoneLayout()
    {
        var cut = Render<EventsTable>(p => p.Add(x => x.Events, Log.Events));

        foreach (var row in cut.FindAll("tbody tr"))
        {
            Assert.Equal(["Time", "Frame", "Zone", "Event", "Track", "Class", "Dwell"], row.QuerySelectorAll("td").Select(td => td.GetAttribute("data-label")));
        }
    }
}
