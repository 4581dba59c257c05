namespace VideoTracker.Tests.Api;

public sealed class SmallUploadLimitFactory : TestPluginAppFactory
{
    public const long Limit = 20_000;

    public SmallUploadLimitFactory() => Settings["Storage:MaxUploadBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Uploads over <c>Storage:MaxUploadBytes</c>: 413, decided early or while streaming, with no partial file left.</summary>
public sealed class UploadLimitTests(SmallUploadLimitFactory factory) : IClassFixture<SmallUploadLimitFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Submit_ContentLengthOverTheLimit_Returns413BeforeReadingTheBody()
    {
        var big = new byte[SmallUploadLimitFactory.Limit + (2 << 20)];
        using var form = new MultipartFormDataContent { { new ByteArrayContent(big), "file", "big.mp4" } };

        var (status, problem) = await _client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit?plugin_id=opencv-classic&tool=video_motion_detection") { Content = form });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("larger than the upload limit", problem.Detail(), StringComparison.Ordinal);
        AssertStagingEmpty();
    }

    [Fact]
    public async Task Submit_ChunkedBodyOverTheLimit_Returns413WhileStreamingAndDeletesThePartialFile()
    {
        var big = new byte[SmallUploadLimitFactory.Limit * 3];
        using var form = new MultipartFormDataContent { { new StreamContent(new MemoryStream(big)), "file", "big.mp4" } };
        form.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit?plugin_id=opencv-classic&tool=video_motion_detection") { Content = new ChunkedContent(form) };

        var (status, problem) = await _client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("larger than the upload limit", problem.Detail(), StringComparison.Ordinal);
        AssertStagingEmpty();
        Assert.Equal(0, (await _client.GetJsonAsync("/v1/jobs")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Submit_FileUnderTheLimit_IsAccepted()
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 3, width: 64, height: 48);
        Assert.True(new FileInfo(clip).Length < SmallUploadLimitFactory.Limit);

        var job = await _client.SubmitAsync(clip);

        Assert.Equal("completed", (await _client.WaitForTerminalAsync(job)).Status());
    }

    private void AssertStagingEmpty()
    {
        var staging = Path.Combine(factory.DataDirectory, "staging");
        Assert.Empty(Directory.Exists(staging) ? Directory.GetFiles(staging) : []);
    }

    /// <summary>Sends the inner content without a Content-Length, so the server only learns the size by reading.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly HttpContent inner;

        public ChunkedContent(HttpContent inner)
        {
            this.inner = inner;
            Headers.ContentType = inner.Headers.ContentType;
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                inner.Dispose();
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
