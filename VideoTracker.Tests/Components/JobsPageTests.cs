using VideoTracker.App.Components.Pages.Jobs;
using VideoTracker.App.Components.Shared;

namespace VideoTracker.Tests.Components;

public sealed class JobsPageTests : MudComponentTest
{
    private readonly FakeJobService _jobs = new();

    public JobsPageTests() => Services.AddSingleton<IJobService>(_jobs);

    [Fact]
    public async Task JobsPage_WhileAJobIsActive_RefreshesEvery2sAndStopsWhenAllAreDone()
    {
        _jobs.Lists.Enqueue([FakeJobService.Job(JobStatus.Running, 40)]);
        _jobs.Lists.Enqueue([FakeJobService.Job(JobStatus.Completed, 100)]);
        var cut = RenderWithProviders<JobsPage>();
        cut.WaitForAssertion(() => Assert.Equal("40", cut.Find("[data-testid=jobs-table] [data-testid=job-progress]").GetAttribute("aria-valuenow")));
        var poller = cut.FindComponent<PollingTimer>().Instance;
        cut.WaitForAssertion(() => Assert.True(poller.IsRunning));
        var loads = _jobs.ListLoads;

        Time.Advance(TimeSpan.FromSeconds(2));

        cut.WaitForAssertion(() => Assert.Equal("completed", cut.Find("[data-testid=job-status-chip]").TextContent.Trim()));
        Assert.Equal(loads + 1, _jobs.ListLoads);
        cut.WaitForAssertion(() => Assert.False(poller.IsRunning));
        await poller.Loop.WaitAsync(TimeSpan.FromSeconds(10));
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(loads + 1, _jobs.ListLoads);
    }

    [Fact]
    public void JobsPage_ShowsFileToolStatusAndOpenLink()
    {
        _jobs.Lists.Enqueue([FakeJobService.Job(JobStatus.Failed, 30, error: "boom")]);
        var cut = RenderWithProviders<JobsPage>();

        cut.WaitForAssertion(() => Assert.Equal("street.avi", cut.Find("[data-testid=job-row-file]").TextContent.Trim()));
        Assert.Contains("opencv-classic / video_motion_detection", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("failed", cut.Find("[data-testid=job-status-chip]").TextContent.Trim());
        Assert.Equal($"jobs/{FakeJobService.Id}", cut.Find("[data-testid=job-open]").GetAttribute("href"));
        Assert.False(cut.FindComponent<PollingTimer>().Instance.IsRunning);
    }

    [Fact]
    public void JobsPage_Search_ReloadsWithTheTextAndSaysWhenNothingMatches()
    {
        _jobs.Lists.Enqueue([FakeJobService.Job(JobStatus.Completed, 100)]);
        _jobs.Lists.Enqueue([]);
        var cut = RenderWithProviders<JobsPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=job-row-file]")));

        cut.Find("input[data-testid=jobs-search], [data-testid=jobs-search] input").Input("Match Day");
        Time.Advance(TimeSpan.FromMilliseconds(300));   // the field's debounce

        cut.WaitForAssertion(() => Assert.Equal("No jobs match “Match Day”.", cut.Find("[data-testid=jobs-empty]").TextContent.Trim()), TimeSpan.FromSeconds(5));
        Assert.Equal([null, "Match Day"], _jobs.ListFilters.Select(f => f.Search));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void JobsPage_NewJobButton_IsShownOnlyToThoseWhoCanSubmit(bool canSubmit)
    {
        _jobs.CanSubmit = canSubmit;
        _jobs.Lists.Enqueue([FakeJobService.Job(JobStatus.Completed, 100)]);
        var cut = RenderWithProviders<JobsPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=job-row-file]")));
        Assert.Equal(canSubmit ? 1 : 0, cut.FindAll("[data-testid=jobs-new-job]").Count);
    }
}
