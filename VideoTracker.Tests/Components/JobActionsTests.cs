using MudBlazor;
using VideoTracker.App.Components.Shared;

namespace VideoTracker.Tests.Components;

public sealed class JobActionsTests : MudComponentTest
{
    private readonly FakeJobService _jobs = new();

    public JobActionsTests() => Services.AddSingleton<IJobService>(_jobs);

    [Theory]
    [InlineData(JobStatus.Pending, "job-cancel")]
    [InlineData(JobStatus.Running, "job-cancel")]
    [InlineData(JobStatus.Completed, "job-delete")]
    [InlineData(JobStatus.Failed, "job-delete")]
    [InlineData(JobStatus.Cancelled, "job-delete")]
    public void Actions_OfferCancelWhileActiveAndDeleteOnceEnded(JobStatus status, string testId)
    {
        var cut = RenderWithProviders<JobActions>(p => p.Add(x => x.View, FakeJobService.Job(status, 10)));

        var button = Assert.Single(cut.FindAll("button"));
        Assert.Equal(testId, button.GetAttribute("data-testid"));
    }

    [Fact]
    public async Task Cancel_AsksForConfirmationAndOnlyThenCancels()
    {
        var provider = Render<MudDialogProvider>();
        var changed = new List<JobControlOutcome>();
        var cut = RenderWithProviders<JobActions>(p => p
            .Add(x => x.View, FakeJobService.Job(JobStatus.Running, 40))
            .Add(x => x.OnChanged, changed.Add));

        var click = cut.Find("[data-testid=job-cancel]").ClickAsync(new());
        var dialog = await WaitForDialogAsync(provider);
        Assert.Empty(_jobs.Controls);
        Assert.Contains("Cancel this job?", dialog.Markup, StringComparison.Ordinal);
        await dialog.FindAll("button").Single(b => b.TextContent.Contains("Cancel job", StringComparison.Ordinal)).ClickAsync(new());
        await click;

        Assert.Equal([$"cancel {FakeJobService.Id}"], _jobs.Controls);
        Assert.Equal(JobStatus.Cancelled, Assert.IsType<JobControlOutcome.Cancelled>(Assert.Single(changed)).Status);
    }

    [Fact]
    public async Task Delete_WhenTheDialogIsDeclined_DeletesNothing()
    {
        var provider = Render<MudDialogProvider>();
        var cut = RenderWithProviders<JobActions>(p => p.Add(x => x.View, FakeJobService.Job(JobStatus.Completed, 100)));

        var click = cut.Find("[data-testid=job-delete]").ClickAsync(new());
        var dialog = await WaitForDialogAsync(provider);
        await dialog.FindAll("button").Single(b => b.TextContent.Contains("Keep", StringComparison.Ordinal)).ClickAsync(new());
        await click;

        Assert.Empty(_jobs.Controls);
    }

    private static async Task<IRenderedComponent<MudDialogProvider>> WaitForDialogAsync(IRenderedComponent<MudDialogProvider> provider)
    {
        for (var i = 0; i < 100 && provider.FindAll(".mud-dialog").Count == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.NotEmpty(provider.FindAll(".mud-dialog"));
        return provider;
    }
}
