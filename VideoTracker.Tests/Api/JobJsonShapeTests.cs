namespace VideoTracker.Tests.Api;

/// <summary>
/// The job responses keep their properties in one order: the status fields (the status poll, also the answer of a
/// cancel), then, in the detail and the list, what was asked and what came out. Clients that diff or hash the JSON
/// would see any reordering, so it is pinned here, in the responses and in the OpenAPI schemas.
/// </summary>
public sealed class JobJsonShapeTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private static readonly string[] StatusFields =
    [
        "job_id", "status", "progress", "current_frame", "total_frames", "fps", "eta_seconds", "queue_position", "waiting_reason",
        "error", "attempts", "created_at", "started_at", "updated_at", "completed_at",
    ];

    private static readonly string[] DetailFields =
    [
        .. StatusFields, "plugin_id", "tool", "device", "options", "file_name", "file_size_bytes", "worker", "owner", "results",
    ];

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task JobResponses_StatusDetailAndList_KeepTheirPropertyOrder()
    {
        var job = await _client.SubmitCompletedAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 4, name: "json-shape.avi"));

        var status = await _client.GetStatusAsync(job);
        var detail = await _client.GetJsonAsync($"/v1/jobs/{job}");
        var list = await _client.GetJsonAsync("/v1/jobs");

        Assert.Equal(StatusFields, Names(status));
        Assert.Equal(DetailFields, Names(detail));
        Assert.Equal(["jobs", "count"], Names(list));
        Assert.All(list.GetProperty("jobs").EnumerateArray(), item => Assert.Equal(DetailFields, Names(item)));
    }

    [Fact]
    public async Task OpenApi_JobSchemas_ListPropertiesInResponseOrder()
    {
        var schemas = (await _client.GetJsonAsync("/openapi/v1.json")).GetProperty("components").GetProperty("schemas");

        Assert.Equal(StatusFields, Names(schemas.GetProperty("JobStatusDto").GetProperty("properties")));
        Assert.Equal(DetailFields, Names(schemas.GetProperty("JobDetailDto").GetProperty("properties")));
    }

    private static string[] Names(JsonElement json) => [.. json.EnumerateObject().Select(p => p.Name)];
}
