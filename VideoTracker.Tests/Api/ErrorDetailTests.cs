using System.Net.Http.Headers;

namespace VideoTracker.Tests.Api;

/// <summary>Errors say precisely what was wrong, one sentence for one rule, in the same shape whoever answers (a handler or the framework).</summary>
public sealed class ErrorDetailTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    private const string Job = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>A value that does not bind (not a number, too large for one) gets the same sentence as one outside the range.</summary>
    [Theory]
    [InlineData("/v1/jobs?limit=99999999999", "limit must be a whole number from 1 to 500.")]
    [InlineData("/v1/jobs?limit=1000000", "limit must be a whole number from 1 to 500.")]
    [InlineData("/v1/jobs?limit=abc", "limit must be a whole number from 1 to 500.")]
    [InlineData("/v1/jobs?limit=0", "limit must be a whole number from 1 to 500.")]
    [InlineData($"/v1/video/results/{Job}?frame_limit=99999999999", "frame_limit must be a whole number from 1 to 2147483647.")]
    [InlineData($"/v1/video/results/{Job}?frame_limit=0", "frame_limit must be a whole number from 1 to 2147483647.")]
    [InlineData($"/v1/video/results/{Job}?frame_offset=-1", "frame_offset must be a whole number from 0 to 2147483647.")]
    [InlineData($"/v1/video/results/{Job}?frame_offset=x", "frame_offset must be a whole number from 0 to 2147483647.")]
    [InlineData($"/v1/jobs/{Job}/series?buckets=99999999999", "buckets must be a whole number from 1 to 2000.")]
    [InlineData($"/v1/jobs/{Job}/tracks/abc/thumbnail", "track_id must be a whole number from 1 to 2147483647.")]
    [InlineData($"/v1/jobs/{Job}/tracks/0/thumbnail", "track_id must be a whole number from 1 to 2147483647.")]
    [InlineData("/v1/audit?limit=0", "limit must be a whole number from 1 to 500.")]
    [InlineData("/v1/audit?limit=501", "limit must be a whole number from 1 to 500.")]
    [InlineData("/v1/audit?limit=abc", "limit must be a whole number from 1 to 500.")]
    [InlineData("/v1/jobs?offset=-1", "offset must be a whole number from 0 to 2147483647.")]
    [InlineData("/v1/jobs?skip=-1", "skip must be a whole number from 0 to 2147483647.")]
    [InlineData("/v1/jobs?skip=-", "skip must be a whole number from 0 to 2147483647.")]
    [InlineData("/v1/audit?offset=-1", "offset must be a whole number from 0 to 2147483647.")]
    [InlineData("/v1/audit?offset=1.5", "offset must be a whole number from 0 to 2147483647.")]
    public async Task Value_OutOfItsRange_Is400SayingTheRange(string url, string expected)
    {
        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, url));

        Assert.Equal((HttpStatusCode.BadRequest, expected), (status, problem.Detail()));
    }

    [Theory]
    [InlineData("/v1/keys")]
    [InlineData("/v1/users")]
    [InlineData("/v1/auth/login")]
    public async Task JsonBody_WithAnEmptyContentType_Is415WithTheAppsSentence(string url)
    {
        var content = new ByteArrayContent("""{"name":"laptop"}"""u8.ToArray());
        content.Headers.ContentType = null;

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = content });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("Send the body as JSON, with Content-Type: application/json.", problem.Detail());
    }

    /// <summary>The framework's own 404 and 405 have the members of the app's errors, <c>type</c> included.</summary>
    [Theory]
    [InlineData("GET", "/v1/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("POST", "/v1/nothing-here", HttpStatusCode.NotFound)]   // not 405: no route at this address takes any method
    [InlineData("PATCH", "/v1/plugins", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", $"/v1/jobs/{Job}", HttpStatusCode.NotFound)]
    public async Task Error_FromTheFrameworkOrTheApp_HasTheSameMembers(string method, string url, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var (status, problem) = await _client.SendForProblemAsync(request);

        Assert.Equal(expected, status);
        Assert.Equal(["type", "title", "status", "detail"], problem.EnumerateObject().Select(p => p.Name).Take(4));
        Assert.StartsWith("https://tools.ietf.org/html/rfc9110#section-15.5.", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
    }
}
