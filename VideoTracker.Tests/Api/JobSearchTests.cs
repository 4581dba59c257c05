using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace VideoTracker.Tests.Api;

/// <summary><c>GET /v1/jobs?q=</c>: jobs whose file name, plugin, tool or owner holds the text, in any case (Unicode too), never as a pattern.</summary>
public sealed class JobSearchTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task JobList_Search_MatchesFileToolOrOwnerInAnyCase_AndTakesTheTextLiterally()
    {
        var matchDay = await _client.SubmitAsync(Clip("Match-Day.avi"), tool: "video_motion_detection");
        var training = await _client.SubmitAsync(Clip("training.avi"), tool: "video_people_detection");
        var percent = await _client.SubmitAsync(Clip("100%_done.avi"), tool: "video_motion_detection");
        using var admin = factory.CreateAnonymousClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        using (var login = await admin.PostAsJsonAsync("/v1/auth/login", new { username = VideoTrackerAppFactory.AdminName, password = VideoTrackerAppFactory.AdminPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var owned = await admin.SubmitAsync(Clip("owned.avi"));

        Assert.Equal([matchDay], await SearchAsync("mATCH-d"));
        Assert.Equal([training], await SearchAsync("PEOPLE"));
        Assert.Equal([owned], await SearchAsync(" Admin "));
        Assert.Equal([percent], await SearchAsync("%"));
        Assert.Equal([percent], await SearchAsync("0%_d"));
        Assert.Equal([owned, percent, matchDay], await SearchAsync("motion"));
        Assert.Equal(4, (await _client.GetJsonAsync("/v1/jobs?q=")).GetProperty("count").GetInt32());

        // Case folds beyond ASCII on both databases (SQLite's own LOWER folds only A to Z).
        var unicode = await _client.SubmitAsync(Clip("ÑANDÚ-Übung.avi"), tool: "video_people_detection");
        Assert.Equal([unicode], await SearchAsync("ñandú-üb"));
        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs?q={new string('x', 201)}"));
        Assert.Equal((HttpStatusCode.BadRequest, "q must be at most 200 characters."), (status, problem.Detail()));
    }

    private string Clip(string name) => TestClips.MovingSquare(factory.Clips.Path, frames: 4, name: name);

    /// <summary>The ids the search finds, newest first; the count agrees with them.</summary>
    private async Task<Guid[]> SearchAsync(string text)
    {
        var list = await _client.GetJsonAsync($"/v1/jobs?limit=500&q={Uri.EscapeDataString(text)}");
        var ids = list.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("job_id").GetGuid()).ToArray();
        Assert.Equal(ids.Length, list.GetProperty("count").GetInt32());
        return ids;
    }
}
