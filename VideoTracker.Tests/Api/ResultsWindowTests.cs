namespace VideoTracker.Tests.Api;

/// <summary>Time windows of a job's frames and its stored series, through the real API on a real motion job.</summary>
public sealed class ResultsWindowTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<Guid> CompletedJobAsync()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 40, fps: 10, name: $"window-{Guid.NewGuid():N}.avi");
        return await _client.SubmitCompletedAsync(clip);
    }

    [Fact]
    public async Task GetResults_WithFromMsAndToMs_ReturnsOnlyTheFramesInThatWindow()
    {
        var job = await CompletedJobAsync();

        var doc = await _client.GetJsonAsync($"/v1/video/results/{job}?from_ms=1000&to_ms=2000");

        var results = doc.GetProperty("results");
        var indexes = results.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("frame_index").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(10, 10), indexes);
        Assert.Equal(10, results.GetProperty("frames_returned").GetInt32());
        Assert.Equal(1000, results.GetProperty("from_ms").GetDouble());
        Assert.Equal(2000, results.GetProperty("to_ms").GetDouble());
        Assert.Equal(40, results.GetProperty("summary").GetProperty("processed_frames").GetInt32());
    }

    [Theory]
    [InlineData("from_ms=-1", "from_ms must be a number of milliseconds ≥ 0.")]
    [InlineData("from_ms=abc", "from_ms must be a number of milliseconds ≥ 0.")]
    [InlineData("from_ms=NaN", "from_ms must be a number of milliseconds ≥ 0.")]
    [InlineData("to_ms=0", "to_ms must be a number of milliseconds greater than from_ms.")]
    [InlineData("to_ms=Infinity", "to_ms must be a number of milliseconds greater than from_ms.")]
    [InlineData("from_ms=2000&to_ms=1000", "to_ms must be a number of milliseconds greater than from_ms.")]
    [InlineData("from_ms=0&frame_offset=3", "frame_offset cannot be combined with from_ms/to_ms; page a time window with frame_limit.")]
    public async Task GetResults_WithABadTimeWindow_Answers400WithDetail(string query, string detail)
    {
        var job = Guid.NewGuid();

        var (status, body) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/video/results/{job}?{query}"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(detail, body.Detail());
    }

    [Fact]
    public async Task GetSeries_OfACompletedJob_GivesBucketsThatCoverEveryFrame()
    {
        var job = await CompletedJobAsync();

        var series = await _client.GetJsonAsync($"/v1/jobs/{job}/series?buckets=4");

        var buckets = series.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal(4, buckets.Count);
        Assert.Equal(1000, series.GetProperty("bucket_ms").GetDouble());
        Assert.Equal(40, buckets.Sum(b => b.GetProperty("frames").GetInt32()));
        var detections = (await _client.GetJsonAsync($"/v1/jobs/{job}")).GetProperty("results").GetProperty("results").GetProperty("summary").GetProperty("total_detections").GetInt64();
        Assert.Equal(detections, buckets.Sum(b => b.GetProperty("mean").GetDouble() * b.GetProperty("frames").GetInt32()), 6);
        Assert.All(buckets, b => Assert.True(b.GetProperty("min").GetInt32() <= b.GetProperty("max").GetInt32()));
        Assert.Contains(buckets, b => b.GetProperty("classes").TryGetProperty("motion", out var motion) && motion.GetProperty("max").GetInt32() >= 1);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2001")]
    [InlineData("x")]
    public async Task GetSeries_WithBadBuckets_Answers400(string buckets)
    {
        var (status, body) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{Guid.NewGuid()}/series?buckets={buckets}"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("buckets must be a whole number from 1 to 2000.", body.Detail());
    }

    [Fact]
    public async Task GetSeries_OfAnUnknownJob_Answers404()
    {
        var (status, body) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{Guid.NewGuid()}/series"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Job not found", body.Detail());
    }
}
