using Microsoft.AspNetCore.Components;
using VideoTracker.App.Components.Pages;
using VideoTracker.App.Components.Pages.Jobs;

namespace VideoTracker.Tests.Components;

/// <summary>"Run again": the New job form filled from a finished job, against the app's real job service; no upload.</summary>
public sealed class RunAgainFormTests : MudComponentTest, IClassFixture<TestPluginAppFactory>
{
    private readonly TestPluginAppFactory _factory;
    private readonly HttpClient _client;

    public RunAgainFormTests(TestPluginAppFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
        var scope = factory.Services.CreateScope();
        Services.AddSingleton<IJobService>(ActivatorUtilities.CreateInstance<JobService>(scope.ServiceProvider, SignedInUser.Member(factory.Services)));
    }

    private static string Option(string name) => $"input[data-testid=option-{name}], [data-testid=option-{name}] input";

    private IRenderedComponent<NewJob> RenderForm(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/" + query);
        return RenderWithProviders<NewJob>();
    }

    [Fact]
    public async Task Form_FromAJob_ShowsItsClipAndOptions_AndStartRunsItAgainWithTheChanges()
    {
        var source = await _client.SubmitCompletedAsync(
            TestClips.MovingSquare(_factory.Clips.Path, frames: 8, name: "again.avi"),
            fields: new Dictionary<string, string> { ["min_area"] = "700", ["history"] = "50", ["max_frames"] = "4" });

        var cut = RenderForm($"?from={source}");
        cut.WaitForAssertion(() => Assert.Contains("again.avi", cut.Find("[data-testid=rerun-source]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Run again", cut.Find("[data-testid=new-job-heading]").TextContent.Trim());
        Assert.Equal("700", cut.Find(Option("min_area")).GetAttribute("value"));
        Assert.Equal("Start", cut.Find("[data-testid=submit-job]").TextContent.Trim());
        cut.Find(Option("min_area")).Input("900");
        cut.Find(Option("max_frames")).Input(string.Empty);
        cut.Find("[data-testid=submit-job]").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches("/jobs/[0-9a-f-]{36}$", navigation.Uri), TimeSpan.FromSeconds(30));
        var rerun = Guid.Parse(navigation.Uri[^36..]);
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(rerun)).Status());
        var job = await _client.GetJsonAsync($"/v1/jobs/{rerun}");
        var options = job.GetProperty("options");
        Assert.Equal((900, 50, JsonValueKind.Null), (options.GetProperty("min_area").GetInt32(), options.GetProperty("history").GetInt32(), options.GetProperty("max_frames").ValueKind));
        Assert.Equal((SignedInUser.MemberName, "again.avi"), (job.GetProperty("owner").GetString(), job.GetProperty("file_name").GetString()));
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier == "startUpload");
    }

    [Fact]
    public void Form_FromAJobThatIsGone_SaysSoAndAsksForAFile()
    {
        var cut = RenderForm($"?from={Guid.NewGuid()}");

        cut.WaitForAssertion(() => Assert.Equal(
            "The job to run again is not there any more. Choose a video file instead.", cut.Find("[data-testid=form-error]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=rerun-source]"));
        Assert.Equal("New job", cut.Find("[data-testid=new-job-heading]").TextContent.Trim());
        cut.Find("[data-testid=submit-job]").Click();
        Assert.Equal("Choose a video file first.", cut.Find("[data-testid=file-error]").TextContent.Trim());
    }
}

/// <summary>The job page offers "Run again" to those who may submit, and only to them; the form shows the server at work.</summary>
public sealed class RunAgainButtonTests : MudComponentTest
{
    private readonly FakeJobService _jobs = new();

    public RunAgainButtonTests()
    {
        _jobs.Then(FakeJobService.Job(JobStatus.Completed, 100));
        Services.AddSingleton<IJobService>(_jobs);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void JobPage_RunAgain_LinksToTheFormFromThisJob_ForThoseWhoMaySubmit(bool canSubmit)
    {
        _jobs.CanSubmit = canSubmit;

        var cut = RenderWithProviders<JobPage>(p => p.Add(x => x.JobIdText, FakeJobService.Id.ToString()));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=job-meta]")));
        var links = cut.FindAll("[data-testid=job-run-again]");
        Assert.Equal(canSubmit ? [$"./?from={FakeJobService.Id}"] : [], links.Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void Form_WhileTheServerStartsTheJob_SaysSo_ThenShowsARefusal()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/?from={FakeJobService.Id}");
        var cut = RenderWithProviders<NewJob>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=rerun-source]")));

        cut.Find("[data-testid=submit-job]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Starting the job on the clip stored on the server…", cut.Find("[data-testid=upload-status]").TextContent.Trim()));
        Assert.True(cut.Find("[data-testid=submit-job]").HasAttribute("disabled"));
        _jobs.Rerun.SetResult(new SubmitResult.Refused(SubmitError.ClipGone, JobRerunner.ClipGoneDetail));
        cut.WaitForAssertion(() => Assert.Equal(JobRerunner.ClipGoneDetail, cut.Find("[data-testid=form-error]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=upload-status]"));
        Assert.False(cut.Find("[data-testid=submit-job]").HasAttribute("disabled"));
    }
}
