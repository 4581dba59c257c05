using VideoTracker.App.Components.Shared;

namespace VideoTracker.Tests.Components;

public sealed class OverlayPlayerTests : MudComponentTest
{
    private readonly FakeJobService _jobs = new();

    public OverlayPlayerTests() => Services.AddSingleton<IJobService>(_jobs);

    [Fact]
    public void Render_WhilePreviewIsEncoding_SaysPreparingWithPercentThenShowsThePlayerWhenReady()
    {
        _jobs.Preview = new PreviewState.Preparing(40);

        var cut = Render<OverlayPlayer>(p => p.Add(x => x.JobId, Guid.NewGuid()));

        Assert.Equal("Preparing preview… 40%", cut.Find("[data-testid=preview-preparing] p").TextContent.Trim());
        Assert.Empty(cut.FindAll("video"));

        _jobs.Preview = new PreviewState.Ready();
        Time.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("video")));
        Assert.Empty(cut.FindAll("[data-testid=preview-preparing]"));
    }
}
