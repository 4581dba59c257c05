using VideoTracker.App.CrossOrigin;

namespace VideoTracker.Tests.CrossOrigin;

/// <summary>A server with an API key that lets the ForgeSyte web UI's dev server (http://localhost:3000) call it.</summary>
public sealed class CrossOriginAppFactory : TestPluginAppFactory
{
    public const string Key = "cors-test-key";
    public const string AllowedOrigin = "http://localhost:3000";

    public CrossOriginAppFactory()
    {
        Settings["Security:ApiKey"] = Key;
        Settings["Cors:AllowedOrigins:0"] = AllowedOrigin;
    }
}

/// <summary>
/// Preflights as a browser sends them: no key, no cookie. They are answered by the CORS middleware,
/// whatever authentication runs after it.
/// </summary>
public sealed class CrossOriginTests(CrossOriginAppFactory factory) : IClassFixture<CrossOriginAppFactory>
{
    private readonly HttpClient _client = factory.CreateAnonymousClient();

    [Theory]
    [InlineData("GET", "/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301", "content-type,x-api-key")]
    [InlineData("GET", "/v1/plugins", "authorization")]
    [InlineData("POST", "/v1/video/submit?plugin_id=opencv-classic&tool=video_motion_detection", "x-api-key")]
    [InlineData("DELETE", "/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301", "content-type,x-api-key")]
    public async Task Preflight_AllowedOrigin_AllowsMethodAndHeadersWithoutAuthentication(string method, string url, string headers)
    {
        using var response = await _client.SendAsync(Preflight(url, CrossOriginAppFactory.AllowedOrigin, method, headers));

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(response.IsSuccessStatusCode, $"The preflight answered {(int)response.StatusCode}");
        Assert.Equal(CrossOriginAppFactory.AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains(method, Header(response, "Access-Control-Allow-Methods")!.Split(',', StringSplitOptions.TrimEntries));
        var allowed = Header(response, "Access-Control-Allow-Headers")!.Split(',', StringSplitOptions.TrimEntries);
        foreach (var requested in headers.Split(','))
        {
            Assert.Contains(requested, allowed, StringComparer.OrdinalIgnoreCase);
        }

        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://localhost:3001")]
    public async Task Preflight_OtherOrigin_GetsNoAccessControlHeaders(string origin)
    {
        using var response = await _client.SendAsync(Preflight("/v1/jobs", origin, "GET", "content-type,x-api-key"));

        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-Allow-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task CrossOriginRequest_WithoutKey_Is401ThatTheClientCanRead()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/jobs");
        request.Headers.Add("Origin", CrossOriginAppFactory.AllowedOrigin);

        using var response = await _client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(CrossOriginAppFactory.AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(body.Detail()));
    }

    [Fact]
    public async Task ForgeSyteWebClient_FromItsOwnOriginWithKey_RunsTheWholeFlowAndCanReadEveryResponse()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 6, name: "cors-replay.avi");
        var client = new ForgeSyteWebClient(_client, apiKey: CrossOriginAppFactory.Key, origin: CrossOriginAppFactory.AllowedOrigin);

        var outcome = await ForgeSyteFlow.RunAsync(client, "opencv-classic", clip, TimeSpan.FromMilliseconds(50));
        var notFound = await Assert.ThrowsAsync<ForgeSyteClientException>(() => client.FetchAsync($"/jobs/{Guid.NewGuid()}"));

        Assert.Equal("completed", outcome.Job.Status());
        Assert.Equal("Job not found", notFound.Message);
        Assert.All(client.Responses, r => Assert.Equal(CrossOriginAppFactory.AllowedOrigin, Header(r, "Access-Control-Allow-Origin")));
    }

    [Theory]
    [InlineData("http://localhost:3000", true)]
    [InlineData("https://ui.example.com", true)]
    [InlineData("http://localhost:3000/", true)]
    [InlineData("*", true)]
    [InlineData("localhost:3000", false)]
    [InlineData("http://localhost:3000/app", false)]
    [InlineData("ftp://host", false)]
    public void IsValidOrigin_Entry_AcceptsOnlyOrigins(string origin, bool valid) =>
        Assert.Equal(valid, CrossOriginOptions.IsValidOrigin(origin));

    private static HttpRequestMessage Preflight(string url, string origin, string method, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, url);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

/// <summary>Without Cors:AllowedOrigins nothing changes: no origin gets access.</summary>
public sealed class CrossOriginDefaultTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    [Fact]
    public async Task Preflight_NoOriginsConfigured_GetsNoAccessControlHeaders()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/jobs");
        request.Headers.Add("Origin", CrossOriginAppFactory.AllowedOrigin);
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await client.SendAsync(request);

        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-Allow-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Start_InvalidOrigin_FailsWithTheKeyName()
    {
        using var bad = new VideoTrackerAppFactory();
        bad.Settings["Cors:AllowedOrigins:0"] = "localhost:3000/app";

        var error = Assert.ThrowsAny<Exception>(() => bad.CreateClient());

        Assert.Contains("Cors:AllowedOrigins", error.ToString(), StringComparison.Ordinal);
    }
}
