using VideoTracker.App.Components.Shared;

namespace VideoTracker.Tests.Components;

public sealed class JobProgressTests : MudComponentTest
{
    [Theory]
    [InlineData(0)]
    [InlineData(42)]
    [InlineData(100)]
    public void ProgressBar_WhenRunningWithNumber_IsDeterminateWithAriaValueNow(int progress)
    {
        var cut = Render<JobProgressBar>(p => p.Add(x => x.Status, JobStatus.Running).Add(x => x.Progress, progress));

        var bar = cut.Find("[data-testid=job-progress]");
        Assert.Equal("progressbar", bar.GetAttribute("role"));
        Assert.Equal(progress.ToString(System.Globalization.CultureInfo.InvariantCulture), bar.GetAttribute("aria-valuenow"));
        Assert.DoesNotContain("indeterminate", bar.OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void ProgressBar_WhenRunningWithNullProgress_IsIndeterminateWithoutValue()
    {
        var cut = Render<JobProgressBar>(p => p.Add(x => x.Status, JobStatus.Running).Add(x => x.Progress, null));

        var bar = cut.Find("[data-testid=job-progress]");
        Assert.Equal("progressbar", bar.GetAttribute("role"));
        Assert.Null(bar.GetAttribute("aria-valuenow"));
        Assert.Contains("indeterminate", bar.OuterHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(JobStatus.Pending, 0, "0")]
    [InlineData(JobStatus.Completed, null, "100")]
    [InlineData(JobStatus.Failed, 30, "30")]
    [InlineData(JobStatus.Cancelled, 55, "55")]
    public void ProgressBar_ForEachOtherStatus_ShowsItsValue(JobStatus status, int? progress, string expected)
    {
        var cut = Render<JobProgressBar>(p => p.Add(x => x.Status, status).Add(x => x.Progress, progress));

        Assert.Equal(expected, cut.Find("[data-testid=job-progress]").GetAttribute("aria-valuenow"));
    }

    [Theory]
    [InlineData(JobStatus.Running, 42, "true")]
    [InlineData(JobStatus.Pending, 0, "true")]
    [InlineData(JobStatus.Completed, 100, "false")]
    [InlineData(JobStatus.Failed, 30, "false")]
    [InlineData(JobStatus.Cancelled, 55, "false")]
    public void ProgressBar_IsBusyOnlyUntilTheJobEnds(JobStatus status, int progress, string busy)
    {
        var cut = Render<JobProgressBar>(p => p.Add(x => x.Status, status).Add(x => x.Progress, progress));

        Assert.Equal(busy, cut.Find("[data-testid=job-progress]").GetAttribute("aria-busy"));
    }

    [Theory]
    [InlineData(42)]
    [InlineData(null)]
    public void ProgressBar_IsNoLiveRegion(int? progress)
    {
        var cut = Render<JobProgressBar>(p => p.Add(x => x.Status, JobStatus.Running).Add(x => x.Progress, progress));

        Assert.Empty(cut.FindAll("[aria-live]"));
    }

    [Fact]
    public void StatusPanel_WhenRunning_AnnouncesOnlyItsStatusLineNotTheCounters()
    {
        var cut = Render<JobStatusPanel>(p => p.Add(x => x.View, FakeJobService.Job(JobStatus.Running, 42, frame: 420, total: 1000, fps: 25.3, eta: 95)));

        var live = cut.FindAll("[aria-live], [role=status], [role=alert], [role=log]");
        Assert.Equal("job-status", Assert.Single(live).GetAttribute("data-testid"));
        Assert.Equal("Processing video…", live[0].TextContent.Trim());
    }

    [Fact]
    public void StatusPanel_WhenRunning_ShowsPercentFramesFpsAndEta()
    {
        var cut = Render<JobStatusPanel>(p => p.Add(x => x.View, FakeJobService.Job(JobStatus.Running, 42, frame: 420, total: 1000, fps: 25.3, eta: 95)));

        Assert.Equal("Processing video…", cut.Find("[data-testid=job-status]").TextContent.Trim());
        Assert.Equal("42% complete", cut.Find("[data-testid=job-percent]").TextContent.Trim());
        Assert.Equal("Frame 420 of 1,000", cut.Find("[data-testid=job-frames]").TextContent.Trim());
        Assert.Equal("25.3 fps", cut.Find("[data-testid=job-fps]").TextContent.Trim());
        Assert.Equal("ETA 1m 35s", cut.Find("[data-testid=job-eta]").TextContent.Trim());
        Assert.Equal("42", cut.Find("[data-testid=job-progress]").GetAttribute("aria-valuenow"));
    }

    [Fact]
    public void StatusPanel_WhenLegacyJobHasNullProgress_SaysNotAvailableWithIndeterminateBar()
    {
        var cut = Render<JobStatusPanel>(p => p.Add(x => x.View, FakeJobService.Job(JobStatus.Running, null)));

        Assert.Equal("progress not available", cut.Find("[data-testid=job-percent]").TextContent.Trim());
        Assert.Null(cut.Find("[data-testid=job-progress]").GetAttribute("aria-valuenow"));
    }

    [Fact]
    public void StatusPanel_WhenPending_SaysWaitingInQueueWithPosition()
    {
        var cut = Render<JobStatusPanel>(p => p.Add(x => x.View, FakeJobService.Job(JobStatus.Pending, 0, queue: 3)));

        Assert.Equal("Waiting in queue", cut.Find("[data-testid=job-status]").TextContent.Trim());
        Assert.Equal("Position 3 in the queue", cut.Find("[data-testid=job-queue-position]").TextContent.Trim());
        Assert.Equal("0% complete", cut.Find("[data-testid=job-percent]").TextContent.Trim());
    }

    [Fact]
    public void StatusPanel_WhenPendingForAToolNoNodeRuns_SaysWhy()
    {
        const string reason = "Waiting for a worker that can run Player tracking (YOLO tracker): no running node has it.";
        var view = FakeJobService.Job(JobStatus.Pending, 0, queue: 1) with { WaitingReason = reason };

        var cut = Render<JobStatusPanel>(p => p.Add(x => x.View, view));

        Assert.Equal(reason, cut.Find("[data-testid=job-waiting-reason]").TextContent.Trim());
        Assert.Equal("Position 1 in the queue", cut.Find("[data-testid=job-queue-position]").TextContent.Trim());
    }

    [Fact]
    public void StatusPanel_WhenPendingForAToolANodeRuns_SaysNothingMore()
    {
        var cut = Render<JobStatusPanel>(p => p.Add(x => x.View, FakeJobService.Job(JobStatus.Pending, 0, queue: 2)));

        Assert.Empty(cut.FindAll("[data-testid=job-waiting-reason]"));
    }

    [Fact]
    public void StatusPanel_WhenCompleted_SaysCompleteWithAnIconAndNoEmoji()
    {
        var cut = Render<JobStatusPanel>(p => p.Add(x => x.View, FakeJobService.Job(JobStatus.Completed, 100)));

        Assert.Equal("Video processing complete.", cut.Find("[data-testid=job-status]").TextContent.Trim());
        Assert.Equal("svg", cut.Find("[data-testid=job-status-icon]").TagName, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\p{Cs}|\p{So}", cut.Find(".job-status").TextContent);
        Assert.Equal("100% complete", cut.Find("[data-testid=job-percent]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=job-error]"));
    }

    [Fact]
    public void StatusPanel_WhenFailed_SaysFailedWithTheErrorText()
    {
        var cut = Render<JobStatusPanel>(p => p.Add(x => x.View, FakeJobService.Job(JobStatus.Failed, 30, error: "The clip could not be decoded after frame 12.")));

        Assert.Equal("Video processing failed.", cut.Find("[data-testid=job-status]").TextContent.Trim());
        Assert.Equal("The clip could not be decoded after frame 12.", cut.Find("[data-testid=job-error]").TextContent.Trim());
    }

    [Fact]
    public void StatusPanel_WhenCancelled_SaysCancelled()
    {
        var cut = Render<JobStatusPanel>(p => p.Add(x => x.View, FakeJobService.Job(JobStatus.Cancelled, 55)));

        Assert.Equal("Video processing was cancelled.", cut.Find("[data-testid=job-status]").TextContent.Trim());
    }

    [Fact]
    public void StatusPanel_WhenRestartedOnAnotherWorker_SaysWhichAttemptOnWhichWorker()
    {
        var view = Running(worker: "worker-2", attempts: 1, heartbeatAgo: TimeSpan.FromSeconds(1));

        var cut = Render<JobStatusPanel>(p => p.Add(x => x.View, view));

        Assert.Equal("Restarted on worker-2 after its previous worker stopped responding (attempt 2 of 3).", cut.Find("[data-testid=job-attempt]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=job-stale]"));
        Assert.Equal("25.3 fps", cut.Find("[data-testid=job-fps]").TextContent.Trim());
    }

    [Fact]
    public void StatusPanel_WhenTheWorkerMissedItsHeartbeats_MarksTheProgressStaleAndHidesFpsAndEta()
    {
        var view = Running(worker: "worker-1", attempts: 0, heartbeatAgo: TimeSpan.FromSeconds(25));

        var cut = Render<JobStatusPanel>(p => p.Add(x => x.View, view));

        Assert.StartsWith("No word from worker-1 for 25s: the progress shown is from then.", Normalized(cut.Find("[data-testid=job-stale]").TextContent), StringComparison.Ordinal);
        Assert.Equal("Frame 420 of 1,000", cut.Find("[data-testid=job-frames]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=job-fps]"));
        Assert.Empty(cut.FindAll("[data-testid=job-eta]"));
        Assert.Empty(cut.FindAll("[data-testid=job-attempt]"));
    }

    [Fact]
    public void StatusPanel_WhenTheHeartbeatIsTwoIntervalsOld_IsStillLive()
    {
        var cut = Render<JobStatusPanel>(p => p.Add(x => x.View, Running(worker: "worker-1", attempts: 0, heartbeatAgo: TimeSpan.FromSeconds(4))));

        Assert.Empty(cut.FindAll("[data-testid=job-stale]"));
        Assert.Equal("ETA 1m 35s", cut.Find("[data-testid=job-eta]").TextContent.Trim());
    }

    /// <summary>A running job whose worker's last heartbeat (lease end − Jobs:LeaseSeconds, 30 s by default) was <paramref name="heartbeatAgo"/>.</summary>
    private JobView Running(string worker, int attempts, TimeSpan heartbeatAgo)
    {
        var view = FakeJobService.Job(JobStatus.Running, 42, frame: 420, total: 1000, fps: 25.3, eta: 95);
        view.Job.Worker = worker;
        view.Job.Attempts = attempts;
        view.Job.LeaseExpiresAt = Time.GetUtcNow().UtcDateTime - heartbeatAgo + TimeSpan.FromSeconds(30);
        return view;
    }

    private static string Normalized(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
