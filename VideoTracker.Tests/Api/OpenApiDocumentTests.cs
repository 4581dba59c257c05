namespace VideoTracker.Tests.Api;

/// <summary>The OpenAPI document describes the endpoints as they answer: their errors, uploads, downloads and number types.</summary>
public sealed class OpenApiDocumentTests(VideoTrackerAppFactory factory) : IClassFixture<VideoTrackerAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<JsonElement> OperationAsync(string path, string method) =>
        (await _client.GetJsonAsync("/openapi/v1.json")).GetProperty("paths").GetProperty(path).GetProperty(method);

    private static string[] Statuses(JsonElement operation) => [.. operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order()];

    [Fact]
    public async Task Submit_HasAMultipartBodyWithItsFile_AndItsErrors()
    {
        var submit = await OperationAsync("/v1/video/submit", "post");

        var form = submit.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
        Assert.Equal("binary", form.GetProperty("properties").GetProperty("file").GetProperty("format").GetString());
        Assert.Equal(["file"], form.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(form.GetProperty("properties").TryGetProperty("plugin_id", out _));
        Assert.Equal(["202", "400", "401", "403", "413", "503", "507"], Statuses(submit));
    }

    [Fact]
    public async Task Evaluate_HasAMultipartBodyWithItsFile()
    {
        var evaluate = await OperationAsync("/v1/jobs/{jobId}/evaluate", "post");

        var form = evaluate.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
        Assert.Equal("binary", form.GetProperty("properties").GetProperty("file").GetProperty("format").GetString());
        Assert.Equal("number", form.GetProperty("properties").GetProperty("iou").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/v1/jobs/{jobId}", "get", new[] { "200", "400", "401", "403", "404" })]
    [InlineData("/v1/jobs/{jobId}/cancel", "post", new[] { "200", "400", "401", "403", "404", "409" })]
    [InlineData("/v1/jobs/{jobId}/export", "get", new[] { "200", "400", "401", "403", "404", "409" })]
    [InlineData("/v1/jobs/{jobId}/rerun", "post", new[] { "202", "400", "401", "403", "404", "413", "415", "503", "507" })]
    [InlineData("/v1/keys", "post", new[] { "201", "400", "401", "403", "415" })]
    [InlineData("/v1/keys/{id}", "delete", new[] { "204", "400", "401", "403", "404" })]
    [InlineData("/v1/auth/login", "post", new[] { "200", "400", "401", "403", "415", "429" })]   // 403: the cross-site cookie guard
    [InlineData("/v1/auth/logout", "post", new[] { "204", "401", "403" })]
    [InlineData("/v1/auth/sessions/{id}", "delete", new[] { "204", "400", "401", "403", "404" })]
    [InlineData("/v1/auth/sessions/end-others", "post", new[] { "200", "400", "401", "403" })]
    [InlineData("/v1/users", "post", new[] { "201", "400", "401", "403", "409", "415" })]
    [InlineData("/v1/users/{username}", "patch", new[] { "200", "400", "401", "403", "404", "409", "415" })]
    [InlineData("/v1/users/{username}/sessions", "get", new[] { "200", "401", "403", "404" })]
    [InlineData("/v1/users/{username}/sessions/{id}", "delete", new[] { "204", "400", "401", "403", "404" })]
    [InlineData("/v1/audit", "get", new[] { "200", "400", "401", "403" })]
    [InlineData("/v1/plugins/{pluginId}/manifest", "get", new[] { "200", "401", "403", "404" })]
    public async Task Operation_ListsTheErrorsItAnswers(string path, string method, string[] expected)
    {
        var operation = await OperationAsync(path, method);

        Assert.Equal(expected, Statuses(operation));
        var lastError = operation.GetProperty("responses").GetProperty(expected[^1]).GetProperty("content");
        Assert.True(lastError.TryGetProperty("application/json", out _));
    }

    [Fact]
    public async Task SignIn_TooManyRequests_SaysRetryAfter()
    {
        var tooMany = (await OperationAsync("/v1/auth/login", "post")).GetProperty("responses").GetProperty("429");

        Assert.Equal("integer", tooMany.GetProperty("headers").GetProperty("Retry-After").GetProperty("schema").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/v1/jobs/{jobId}/video", "video/*")]
    [InlineData("/v1/jobs/{jobId}/annotated", "video/mp4")]
    [InlineData("/v1/jobs/{jobId}/export/all", "application/zip")]
    [InlineData("/v1/jobs/{jobId}/export", "text/csv; charset=utf-8")]
    [InlineData("/v1/jobs/{jobId}/heatmap", "image/png")]
    [InlineData("/v1/jobs/{jobId}/tracks/{track_id}/thumbnail", "image/jpeg")]
    public async Task Download_DeclaresItsContentType(string path, string contentType)
    {
        var ok = (await OperationAsync(path, "get")).GetProperty("responses").GetProperty("200");

        Assert.Equal("binary", ok.GetProperty("content").GetProperty(contentType).GetProperty("schema").GetProperty("format").GetString());
    }

    [Fact]
    public async Task Numbers_AreTypedAsSent_AndStatusListsItsValues()
    {
        var document = await _client.GetJsonAsync("/openapi/v1.json");
        var status = document.GetProperty("components").GetProperty("schemas").GetProperty("JobStatusDto").GetProperty("properties");
        var results = document.GetProperty("paths").GetProperty("/v1/video/results/{jobId}").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));

        Assert.Equal(["null", "integer"], status.GetProperty("current_frame").GetProperty("type").EnumerateArray().Select(t => t.GetString()));
        Assert.False(status.GetProperty("current_frame").TryGetProperty("pattern", out _));
        Assert.Equal("integer", status.GetProperty("attempts").GetProperty("type").GetString());
        Assert.Equal(["pending", "running", "completed", "failed", "cancelled"], status.GetProperty("status").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(("integer", "integer", "number", "number"), (Type(results["frame_offset"]), Type(results["frame_limit"]), Type(results["from_ms"]), Type(results["to_ms"])));
        Assert.Equal(1, results["frame_limit"].GetProperty("minimum").GetInt32());
    }

    /// <summary>A query value's range is declared once, on the handler's parameter: the document shows it, and the server enforces it.</summary>
    [Theory]
    [InlineData("/v1/jobs", "limit", 1, 500)]
    [InlineData("/v1/audit", "limit", 1, 500)]
    [InlineData("/v1/jobs/{jobId}/series", "buckets", 1, 2000)]
    [InlineData("/v1/jobs", "offset", 0, int.MaxValue)]
    [InlineData("/v1/jobs", "skip", 0, int.MaxValue)]
    [InlineData("/v1/audit", "offset", 0, int.MaxValue)]
    public async Task RangedQueryValue_ShowsItsRange(string path, string name, int minimum, int maximum)
    {
        var schema = (await OperationAsync(path, "get")).GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name).GetProperty("schema");

        Assert.Equal((minimum, maximum), (schema.GetProperty("minimum").GetInt32(), schema.GetProperty("maximum").GetInt32()));
    }

    [Fact]
    public async Task HeadTwinsOfGets_AreNotListed()
    {
        var document = await _client.GetJsonAsync("/openapi/v1.json");

        Assert.DoesNotContain(document.GetProperty("paths").EnumerateObject(), path => path.Value.TryGetProperty("head", out _));
    }

    private static string Type(JsonElement schema) => schema.GetProperty("type").GetString()!;
}
