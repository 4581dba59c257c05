using System.Net.Http.Headers;

namespace VideoTracker.Tests.Api;

/// <summary>A body or query value the framework cannot bind answers with a detail that names the problem, not a bare "Bad Request".</summary>
public sealed class BindingErrorTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("POST", "/v1/users", "garbage", "'g' is an invalid start of a value.")]
    [InlineData("POST", "/v1/users", """{"username": 5, "password": "long-enough-1", "role": "viewer"}""", "'username' must be a string (at $.username).")]
    [InlineData("PATCH", "/v1/users/admin", """{"disabled": "yes"}""", "'disabled' must be true or false (at $.disabled).")]
    [InlineData("POST", "/v1/keys", """{"name": ["a"]}""", "'name' must be a string (at $.name).")]
    [InlineData("POST", "/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301/rerun", """{"plugin_id": 3}""", "'plugin_id' must be a string (at $.plugin_id).")]
    [InlineData("POST", "/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301/rerun", """{"options": "fast"}""", "'options' must be an object (at $.options).")]
    public async Task JsonBody_ThatDoesNotBind_Is400SayingWhy(string method, string url, string body, string expected)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, new MediaTypeHeaderValue("application/json")) };

        var (status, problem) = await _client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("The body is not valid JSON for this request: ", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains(expected, problem.Detail(), StringComparison.Ordinal);
        Assert.DoesNotContain("VideoTracker.", problem.Detail(), StringComparison.Ordinal);   // never our C# types
    }

    [Fact]
    public async Task Body_NotSentAsJson_Is415SayingSo()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/users") { Content = new StringContent("""{"username":"x"}""") };

        var (status, problem) = await _client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("Send the body as JSON, with Content-Type: application/json.", problem.Detail());
    }

    [Fact]
    public async Task PageForm_WithoutItsAntiforgeryToken_Is400SayingToReload()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/ui/account/users/{VideoTrackerAppFactory.AdminName}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["role"] = "viewer" }),
        };

        var (status, problem) = await _client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The form's antiforgery token is missing or stale: reload the page and send the form again.", problem.Detail());
    }

    [Fact]
    public async Task PageForm_WithoutABody_Is400NamingTheParameterWithoutItsType()
    {
        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/logout"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Unexpected request without body, failed to bind parameter 'returnUrl' from the request body as form.", problem.Detail());
    }
}
