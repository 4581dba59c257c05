using Microsoft.JSInterop;
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

    [Fact]
    public void Render_WhenThePreviewWasNotStarted_StartsItAndGivesTheVideoItsSourceOnlyOnceItIsReady()
    {
        var jobId = Guid.NewGuid();
        _jobs.StartedPreview = new PreviewState.Preparing(0);

        var cut = Render<OverlayPlayer>(p => p.Add(x => x.JobId, jobId));

        Assert.Equal([jobId], _jobs.PreviewStarts);
        Assert.Equal("Preparing preview… 0%", cut.Find("[data-testid=preview-preparing] p").TextContent.Trim());
        Assert.Empty(cut.FindAll("video"));

        _jobs.Preview = new PreviewState.Ready();
        Time.Advance(TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => Assert.Equal($"v1/jobs/{jobId}/preview", cut.Find("video").GetAttribute("src")));
    }

    [Fact]
    public void Render_ForAJobThatStoppedShortOfTheEnd_SaysWhichFramesWereAnalysedAndMarksThemOnABar()
    {
        var cut = Render<OverlayPlayer>(p => p
            .Add(x => x.JobId, Guid.NewGuid())
            .Add(x => x.Analysed, new AnalysedRange(100, 795, 9_900)));

        Assert.Equal(
            "Analysed frames 0–99 of 795 (0:00–0:09). Past them the player draws no boxes: those frames were not analysed.",
            cut.Find("[data-testid=player-range-note]").TextContent.Trim());
        Assert.Equal("width: 12.58%", cut.Find("[data-testid=player-range-bar] .vt-range-analysed").GetAttribute("style"));
        Assert.Equal("The analysed part of the clip: the first 12.6% of its frames", cut.Find("[data-testid=player-range-bar]").GetAttribute("aria-label"));

        // The notice over the picture is there for player.js to show past frame 99, with where the analysed frames end.
        Assert.Equal("Not analysed: the job analysed frames 0–99 only.", cut.Find("[data-testid=player-not-analysed]").TextContent.Trim());
        var attach = JSInterop.Invocations.Single(i => i.Identifier == "attach");
        Assert.Equal(9_900.0, JsonSerializer.SerializeToElement(attach.Arguments[5]).GetProperty("lastMs").GetDouble());
    }

    [Fact]
    public void Render_ForAJobThatAnalysedTheWholeClip_MarksNoRange()
    {
        var cut = Render<OverlayPlayer>(p => p.Add(x => x.JobId, Guid.NewGuid()));

        Assert.Empty(cut.FindAll("[data-testid=player-range]"));
        Assert.Empty(cut.FindAll("[data-testid=player-not-analysed]"));
        Assert.Null(JSInterop.Invocations.Single(i => i.Identifier == "attach").Arguments[5]);
    }

    [Fact]
    public async Task Render_ThenLeftWhileItsScriptLoads_NeverAttachesAndLetsTheScriptGo()
    {
        // Run again, clicked at once: the page goes while player.js is still loading. Attaching then handed the script
        // a disposed reference, which ended the whole circuit, and the next page with it.
        var js = new SlowScriptRuntime();
        Services.AddSingleton<IJSRuntime>(js);
        Render<OverlayPlayer>(p => p.Add(x => x.JobId, Guid.NewGuid()));

        await DisposeComponentsAsync();
        js.Loaded.SetResult(js.Script);

        await js.Script.Released.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("attach", js.Script.Calls);
    }

    /// <summary>A JS runtime whose <c>import</c> of player.js finishes only when the test says so.</summary>
    private sealed class SlowScriptRuntime : IJSRuntime
    {
        public TaskCompletionSource<IJSObjectReference> Loaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public RecordingScript Script { get; } = new();

        public async ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            identifier == "import" ? (TValue)await Loaded.Task : default!;

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);
    }

    /// <summary>player.js as loaded: records what is called on it, and when it is let go.</summary>
    private sealed class RecordingScript : IJSObjectReference
    {
        public List<string> Calls { get; } = [];

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args)
        {
            Calls.Add(identifier);
            return ValueTask.FromResult(default(TValue)!);
        }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            InvokeAsync<TValue>(identifier, args);

        public ValueTask DisposeAsync()
        {
            Released.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
