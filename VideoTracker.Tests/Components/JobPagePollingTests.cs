using VideoTracker.App.Components.Pages.Jobs;
using VideoTracker.App.Components.Shared;

namespace VideoTracker.Tests.Components;

/// <summary>The job page's 2-second polling, driven by a fake clock: no real waiting for ticks.</summary>
public sealed class JobPagePollingTests : MudComponentTest
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);
    private readonly FakeJobService _jobs = new();

    public JobPagePollingTests() => Services.AddSingleton<IJobService>(_jobs);

    private IRenderedComponent<JobPage> RenderPage() =>
        RenderWithProviders<JobPage>(p => p.Add(x => x.JobIdText, FakeJobService.Id.ToString()));

    /// <summary>The loop has ended and no timer is left: ten more ticks bring no more than <paramref name="polls"/> polls.</summary>
    private async Task AssertStoppedAsync(PollingTimer poller, int polls)
    {
        await poller.Loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(poller.IsRunning);
        Time.Advance(10 * Tick);
        Assert.Equal(polls, _jobs.Polls);
    }

    [Fact]
    public async Task Polling_WhenJobReachesCompleted_ShowsResultsAndStopsTheTimer()
    {
        _jobs.Then(
            FakeJobService.Job(JobStatus.Running, 10),
            FakeJobService.Job(JobStatus.Running, 50),
            FakeJobService.Job(JobStatus.Completed, 100));
        var cut = RenderPage();
        var poller = cut.FindComponent<PollingTimer>().Instance;
        Assert.Equal("10", cut.Find("[data-testid=job-progress]").GetAttribute("aria-valuenow"));
        Assert.Equal(1, _jobs.Polls);

        Time.Advance(Tick);
        cut.WaitForAssertion(() => Assert.Equal("50", cut.Find("[data-testid=job-progress]").GetAttribute("aria-valuenow")));
        Assert.Equal(2, _jobs.Polls);

        Time.Advance(Tick);
        cut.WaitForAssertion(() => Assert.Equal("Video processing complete.", cut.Find("[data-testid=job-status]").TextContent.Trim()));
        Assert.Equal("40", cut.Find("[data-testid=summary-frames]").TextContent.Trim());
        Assert.Equal("37", cut.Find("[data-testid=summary-detections]").TextContent.Trim());

        await AssertStoppedAsync(poller, polls: 3);
    }

    /// <summary>A closed tab's circuit is kept a while: it neither polls nor renders until its browser is back.</summary>
    [Fact]
    public async Task Polling_WhileTheBrowserIsAway_SkipsItsTicksUntilItIsBack()
    {
        _jobs.Then(FakeJobService.Job(JobStatus.Running, 10), FakeJobService.Job(JobStatus.Running, 50));
        var cut = RenderPage();
        var renders = cut.RenderCount;

        await Connection.OnConnectionDownAsync(null!, CancellationToken.None);
        Time.Advance(3 * Tick);
        await Task.Delay(100);
        Assert.Equal(1, _jobs.Polls);
        Assert.Equal(renders, cut.RenderCount);

        await Connection.OnConnectionUpAsync(null!, CancellationToken.None);
        Time.Advance(Tick);
        cut.WaitForAssertion(() => Assert.Equal("50", cut.Find("[data-testid=job-progress]").GetAttribute("aria-valuenow")));
        Assert.Equal(2, _jobs.Polls);
    }

    [Fact]
    public void Polling_WhenServiceThrows_ShowsQuietWarningAndKeepsPolling()
    {
        _jobs.Then(FakeJobService.Job(JobStatus.Running, 20))
            .ThenThrow(new TimeoutException("database is locked"))
            .Then(FakeJobService.Job(JobStatus.Running, 60));
        var cut = RenderPage();
        Assert.Empty(cut.FindAll("[data-testid=poll-warning]"));

        Time.Advance(Tick);
        cut.WaitForAssertion(() => Assert.Contains("still trying", cut.Find("[data-testid=poll-warning]").TextContent, StringComparison.Ordinal));
        Assert.Equal("20", cut.Find("[data-testid=job-progress]").GetAttribute("aria-valuenow"));
        Assert.True(cut.FindComponent<PollingTimer>().Instance.IsRunning);

        Time.Advance(Tick);
        cut.WaitForAssertion(() => Assert.Equal("60", cut.Find("[data-testid=job-progress]").GetAttribute("aria-valuenow")));
        Assert.Empty(cut.FindAll("[data-testid=poll-warning]"));
        Assert.Equal(3, _jobs.Polls);
    }

    [Fact]
    public void Polling_AcrossManyTicks_KeepsOneLoopAndOnePollPerTick()
    {
        _jobs.Then(FakeJobService.Job(JobStatus.Running, 1));
        var cut = RenderPage();
        var poller = Assert.Single(cut.FindComponents<PollingTimer>()).Instance;
        var loop = poller.Loop;

        for (var tick = 1; tick <= 5; tick++)
        {
            Time.Advance(Tick);
            var expected = tick + 1;
            cut.WaitForAssertion(() => Assert.Equal(expected, _jobs.Polls));
        }

        Assert.Same(loop, poller.Loop);
        Assert.Single(cut.FindComponents<PollingTimer>());
    }

    [Fact]
    public async Task Polling_WhenPageIsDisposed_EndsTheLoop()
    {
        _jobs.Then(FakeJobService.Job(JobStatus.Running, 5));
        var cut = RenderPage();
        var poller = cut.FindComponent<PollingTimer>().Instance;
        Assert.True(poller.IsRunning);

        await DisposeComponentsAsync();

        await AssertStoppedAsync(poller, polls: 1);
    }

    [Fact]
    public void Page_WhenJobIsPending_ShowsQueuePosition()
    {
        _jobs.Then(FakeJobService.Job(JobStatus.Pending, 0, queue: 2));
        var cut = RenderPage();

        Assert.Equal("Waiting in queue", cut.Find("[data-testid=job-status]").TextContent.Trim());
        Assert.Equal("Position 2 in the queue", cut.Find("[data-testid=job-queue-position]").TextContent.Trim());
    }

    [Fact]
    public void Page_WhenCompleted_LinksEveryDownloadThroughJobLinks()
    {
        _jobs.Then(FakeJobService.Job(JobStatus.Completed, 100));
        var cut = RenderPage();

        Assert.Equal(App.Components.JobLinks.Csv(FakeJobService.Id), cut.Find("[data-testid=download-csv]").GetAttribute("href"));
        Assert.Equal(App.Components.JobLinks.Json(FakeJobService.Id), cut.Find("[data-testid=download-json]").GetAttribute("href"));
        Assert.Equal(App.Components.JobLinks.Mot(FakeJobService.Id), cut.Find("[data-testid=download-mot]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=download-annotated]"));
        Assert.False(cut.FindComponent<PollingTimer>().Instance.IsRunning);
    }
}
