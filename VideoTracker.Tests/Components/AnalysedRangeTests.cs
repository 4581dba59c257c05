using VideoTracker.App.Components.Services;

namespace VideoTracker.Tests.Components;

/// <summary>The analysed part of a clip, as the job page's real job service reads it from a job's results.</summary>
public sealed class AnalysedRangeTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<JobResultsView> ResultsAsync(Guid jobId)
    {
        using var scope = factory.Services.CreateScope();
        var jobs = ActivatorUtilities.CreateInstance<JobService>(scope.ServiceProvider, SignedInUser.Member(factory.Services));
        var view = await jobs.GetJobAsync(jobId);
        return (await jobs.GetResultsAsync(view!.Job))!;
    }

    [Fact]
    public async Task Results_OfAJobStoppedByMaxFrames_SayWhichFramesOfTheClipItAnalysedAndWhenTheyEnd()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 20, fps: 10, name: "twenty.avi");
        var job = await _client.SubmitCompletedAsync(clip, fields: new Dictionary<string, string> { ["max_frames"] = "8" });

        var range = (await ResultsAsync(job)).Partial;

        Assert.Equal(new AnalysedRange(8, 20, 700), range);
        Assert.Equal("Analysed frames 0–7 of 20 (0:00–0:00)", range!.Description);
    }

    [Fact]
    public async Task Results_OfAJobThatAnalysedTheWholeClip_HaveNoRange()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 8, fps: 10, name: "eight.avi");
        var job = await _client.SubmitCompletedAsync(clip);

        Assert.Null((await ResultsAsync(job)).Partial);
    }
}
