namespace VideoTracker.Tests.Api;

/// <summary>POST /ui/upload: the browser's path, guarded by antiforgery and backed by the API's submitter.</summary>
public sealed class UiUploadTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private async Task<(HttpClient Client, string Header, string Token)> ClientWithTokenAsync()
    {
        var client = factory.CreateClient();
        var token = await client.GetJsonAsync("/ui/antiforgery");
        return (client, token.GetProperty("header_name").GetString()!, token.GetProperty("token").GetString()!);
    }

    [Fact]
    public async Task Upload_WithAntiforgeryToken_CreatesAJob()
    {
        var (client, header, token) = await ClientWithTokenAsync();
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 10, name: "ui.avi");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ui/upload") { Content = ApiClient.SubmitForm(clip) };
        request.Headers.Add(header, token);

        using var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = JsonDocument.Parse(body).RootElement.GetProperty("job_id").GetGuid();
        var job = await client.GetJsonAsync($"/v1/jobs/{jobId}");
        Assert.Equal("ui.avi", job.GetProperty("file_name").GetString());
    }

    [Fact]
    public async Task Upload_WithoutToken_IsRefusedBeforeStoringAnything()
    {
        var client = factory.CreateClient();
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 10, name: "notoken.avi");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ui/upload") { Content = ApiClient.SubmitForm(clip) };

        var (status, problem) = await client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("antiforgery token is missing or invalid", problem.Detail(), StringComparison.Ordinal);
        Assert.Equal("expired_form", problem.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Upload_WithForgedToken_IsRefused()
    {
        var (client, header, _) = await ClientWithTokenAsync();
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 10, name: "forged.avi");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ui/upload") { Content = ApiClient.SubmitForm(clip) };
        request.Headers.Add(header, "forged");

        var (status, _) = await client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Upload_OfSomethingThatIsNotAVideo_AnswersWithTheProbeError()
    {
        var (client, header, token) = await ClientWithTokenAsync();
        var path = Path.Combine(factory.Clips.Path, "fake.avi");
        await File.WriteAllTextAsync(path, "this is not a video");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ui/upload") { Content = ApiClient.SubmitForm(path) };
        request.Headers.Add(header, token);

        var (status, problem) = await client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not a video", problem.Detail(), StringComparison.Ordinal);
    }
}
