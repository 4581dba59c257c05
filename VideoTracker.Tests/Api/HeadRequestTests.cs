namespace VideoTracker.Tests.Api;

/// <summary>HEAD answers wherever GET does under /v1 (and for the OpenAPI document): the same status and headers, no body.</summary>
public sealed class HeadRequestTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Head_JobVideo_Is200WithGetsLengthAndNoBody()
    {
        var job = await _client.SubmitAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: "head.avi"));
        using var get = await _client.GetAsync($"/v1/jobs/{job}/video");

        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1/jobs/{job}/video"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.True(head.Content.Headers.ContentLength > 0);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal("bytes", Assert.Single(head.Headers.AcceptRanges));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/v1/jobs", HttpStatusCode.OK)]
    [InlineData("/v1/plugins", HttpStatusCode.OK)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    [InlineData("/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301", HttpStatusCode.NotFound)]
    [InlineData("/v1/video/status/3f2504e0-4f89-11d3-9a0c-0305e82c3301", HttpStatusCode.NotFound)]
    [InlineData("/v1/jobs/not-a-guid", HttpStatusCode.BadRequest)]
    public async Task Head_AnswersAsGetDoes(string url, HttpStatusCode expected)
    {
        using var get = await _client.GetAsync(url);

        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal((expected, expected), (get.StatusCode, head.StatusCode));
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
    }

    [Theory]
    [InlineData("/v1/jobs")]
    [InlineData("/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301/video")]
    [InlineData("/v1/auth/me")]
    public async Task Head_Anonymous_Is401(string url)
    {
        using var anonymous = factory.CreateAnonymousClient();

        using var head = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.Unauthorized, head.StatusCode);
    }
}
