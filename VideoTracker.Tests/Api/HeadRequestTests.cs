namespace VideoTracker.Tests.Api;

/// <summary>HEAD answers wherever GET does under /v1 (and for the OpenAPI document): the same status and headers, no body.</summary>
public sealed class HeadRequestTests(HeadRequestFactory factory) : IClassFixture<HeadRequestFactory>
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

    /// <summary>A download's HEAD says what GET would send, without writing it: the export's writer never runs.</summary>
    [Theory]
    [InlineData("export/all")]
    [InlineData("export?format=counted")]
    public async Task Head_Export_AnswersAsGetWithoutWritingTheExport(string download)
    {
        var job = await _client.SubmitCompletedAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: $"{Guid.NewGuid():N}.avi"));
        var before = factory.Exporter.Writes;

        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1/jobs/{job}/{download}"));
        var writesAfterHead = factory.Exporter.Writes;
        using var get = await _client.GetAsync($"/v1/jobs/{job}/{download}");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (get.StatusCode, head.StatusCode));
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Equal(get.Content.Headers.ContentDisposition, head.Content.Headers.ContentDisposition);
        Assert.NotNull(head.Content.Headers.ContentDisposition);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(before, writesAfterHead);              // HEAD wrote nothing
        Assert.Equal(before + 1, factory.Exporter.Writes);  // GET wrote the export (alone, or in the ZIP) once
    }

    /// <summary>
    /// HEAD on a preview that nobody makes answers at once, 503 without Retry-After (asking again changes nothing), and
    /// starts no encode.
    /// </summary>
    [Fact]
    public async Task Head_PreviewNotYetMade_Is503AtOnceWithoutRetryAfterAndStartsNoEncode()
    {
        Assert.True(new FfmpegLocator((string?)null).IsAvailable, "ffmpeg is needed (scripts/deps.sh installs it).");
        var job = await _client.SubmitCompletedAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: $"{Guid.NewGuid():N}.avi"));
        var previews = factory.Services.GetRequiredService<PreviewVideos>();

        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1/jobs/{job}/preview"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, head.StatusCode);
        Assert.Null(head.Headers.RetryAfter);
        Assert.IsType<PreviewState.NotStarted>(previews.StateOf(job));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(previews.PathFor(job))!, PreviewVideos.LockFileName)));

        // Once GET has made it, HEAD answers as GET does: 200 with its type and length.
        var preview = await _client.GetPreviewAsync(job);
        using var ready = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1/jobs/{job}/preview"));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("video/mp4", ready.Content.Headers.ContentType?.MediaType);
        Assert.Equal(preview.Length, ready.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("/v1/jobs", HttpStatusCode.OK)]
    [InlineData("/v1/plugins", HttpStatusCode.OK)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    [InlineData("/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301", HttpStatusCode.NotFound)]
    [InlineData("/v1/video/status/3f2504e0-4f89-11d3-9a0c-0305e82c3301", HttpStatusCode.NotFound)]
    [InlineData("/v1/jobs/not-a-guid", HttpStatusCode.BadRequest)]
    [InlineData("/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301/export/all", HttpStatusCode.NotFound)]
    [InlineData("/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301/export?format=nope", HttpStatusCode.BadRequest)]
    [InlineData("/v1/jobs/3f2504e0-4f89-11d3-9a0c-0305e82c3301/preview", HttpStatusCode.NotFound)]
    [InlineData("/v1/jobs/not-a-guid/preview", HttpStatusCode.BadRequest)]
    [InlineData("/v1/video/results/3f2504e0-4f89-11d3-9a0c-0305e82c3301?frame_limit=0", HttpStatusCode.BadRequest)]
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
