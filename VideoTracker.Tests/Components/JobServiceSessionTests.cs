using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using MudBlazor;
using VideoTracker.App.Accounts;
using VideoTracker.App.Components.Shared;
using VideoTracker.Core.Accounts;

namespace VideoTracker.Tests.Components;

/// <summary>
/// A page left open after an admin disables or demotes its user: the circuit's job service acts as the user is in the
/// database now, not as they were when the page connected, as the user's cookie does on its next request.
/// </summary>
public sealed class JobServiceSessionTests : MudComponentTest, IClassFixture<TestPluginAppFactory>
{
    private readonly TestPluginAppFactory _factory;
    private readonly HttpClient _admin;
    private readonly AsyncServiceScope _circuit;

    public JobServiceSessionTests(TestPluginAppFactory factory)
    {
        _factory = factory;
        _admin = factory.CreateClient();
        _circuit = factory.Services.CreateAsyncScope();
    }

    /// <summary>What an admin does to the user in the tests' theories: the body of <c>PATCH /v1/users/{name}</c>.</summary>
    public static TheoryData<string> Changes => ["disable", "demote"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task DeleteAsync_AfterTheUserIsChanged_IsRefusedAndLeavesTheJob(string change)
    {
        var (jobs, user) = await OpenPageAsync($"del-{change}");
        var job = await SubmitCompletedAsync(user);

        await ChangeAsync(user, change);

        var refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => jobs.DeleteAsync(job));
        Assert.Equal(SessionValidator.EndedDetail, refused.Message);
        Assert.Equal("completed", (await _admin.GetJsonAsync($"/v1/jobs/{job}")).Status());
        Assert.DoesNotContain(await AuditAsync(job), e => e.Action == AuditActions.JobDeleted);
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task CancelAsync_AfterTheUserIsChanged_IsRefusedAndTheJobRunsOn(string change)
    {
        var (jobs, user) = await OpenPageAsync($"cancel-{change}");
        using var owner = await CookieClientAsync(user);
        var job = await _factory.SubmitGatedToFrameAsync(owner, TestClips.MovingSquare(_factory.Clips.Path, frames: 4, name: $"{user.Name}.avi"), frames: 1);
        try
        {
            await ChangeAsync(user, change);

            var refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => jobs.CancelAsync(job));
            Assert.Equal(SessionValidator.EndedDetail, refused.Message);
            Assert.Equal("running", (await _admin.GetStatusAsync(job)).Status());
            Assert.DoesNotContain(await AuditAsync(job), e => e.Action == AuditActions.JobCancelled);
        }
        finally
        {
            // The admin stops it: spare gate permits would let the next test's gated job run through.
            using (await _admin.PostAsync($"/v1/jobs/{job}/cancel", null))
            {
            }

            await _admin.WaitForTerminalAsync(job);
        }
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task RerunAsync_AfterTheUserIsChanged_IsRefusedAndStartsNoJob(string change)
    {
        var (jobs, user) = await OpenPageAsync($"rerun-{change}");
        var job = await SubmitCompletedAsync(user);
        var before = (await _admin.GetJsonAsync("/v1/jobs")).GetProperty("count").GetInt32();

        await ChangeAsync(user, change);

        var refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(
            () => jobs.RerunAsync(job, new RerunCommand("opencv-classic", "video_motion_detection", null, new Dictionary<string, string?>())));
        Assert.Equal(SessionValidator.EndedDetail, refused.Message);
        Assert.Equal(before, (await _admin.GetJsonAsync("/v1/jobs")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task DeleteAsync_WhenAnotherUserIsChanged_DeletesTheJobAsTheUser()
    {
        var (jobs, user) = await OpenPageAsync("unchanged");
        var job = await SubmitCompletedAsync(user);
        var (_, other) = await OpenPageAsync("unchanged-other");
        await ChangeAsync(other, "disable");

        Assert.IsType<JobControlOutcome.Deleted>(await jobs.DeleteAsync(job));

        using var gone = await _admin.GetAsync($"/v1/jobs/{job}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(user.Name, Assert.Single(await AuditAsync(job), e => e.Action == AuditActions.JobDeleted).Username);
    }

    [Fact]
    public async Task DeleteButton_AfterTheUserIsDisabled_SaysToSignInAgain()
    {
        var (jobs, user) = await OpenPageAsync("button");
        var job = await SubmitCompletedAsync(user);
        Services.AddSingleton(jobs);
        var view = await jobs.GetJobAsync(job);
        var provider = Render<MudDialogProvider>();
        var cut = RenderWithProviders<JobActions>(p => p.Add(x => x.View, view!));

        await ChangeAsync(user, "disable");
        var click = cut.Find("[data-testid=job-delete]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll(".mud-dialog")));
        await provider.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").ClickAsync(new());
        await click;

        var shown = Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        Assert.Equal((SessionValidator.EndedDetail, Severity.Error), (shown.Message, shown.Severity));
        Assert.Equal("completed", (await _admin.GetJsonAsync($"/v1/jobs/{job}")).Status());
    }

    /// <summary>The circuit's scope goes with the test, as a page's goes with its circuit.</summary>
    protected override async ValueTask DisposeAsyncCore()
    {
        await _circuit.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    /// <summary>A member's page connects: the circuit's job service, with the principal of the member's cookie.</summary>
    private async Task<(IJobService Jobs, SignedInUser User)> OpenPageAsync(string name)
    {
        var user = new SignedInUser(_factory.Services, name, AppRoles.Member);
        await user.PrincipalAsync();
        return (ActivatorUtilities.CreateInstance<JobService>(_circuit.ServiceProvider, user), user);
    }

    private async Task<HttpClient> CookieClientAsync(SignedInUser user)
    {
        var client = _factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        using var login = await client.PostAsJsonAsync("/v1/auth/login", new { username = user.Name, password = SignedInUser.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return client;
    }

    /// <summary>A finished job of <paramref name="user"/>, submitted with their cookie.</summary>
    private async Task<Guid> SubmitCompletedAsync(SignedInUser user)
    {
        using var owner = await CookieClientAsync(user);
        return await owner.SubmitCompletedAsync(TestClips.MovingSquare(_factory.Clips.Path, frames: 3, name: $"{user.Name}.avi"));
    }

    /// <summary>An admin disables the user, or makes them a viewer; their cookie answers 401 from then on.</summary>
    private async Task ChangeAsync(SignedInUser user, string change)
    {
        object body = change == "disable" ? new { disabled = true } : new { role = AppRoles.Viewer };
        using var changed = await _admin.PatchAsJsonAsync($"/v1/users/{user.Name}", body);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(Guid job) =>
        [.. (await _factory.Services.GetRequiredService<AuditLog>().ListAsync(AuditFilter.None, 1000, 0, CancellationToken.None)).Entries.Where(e => e.JobId == job)];
}
