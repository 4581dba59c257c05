using System.Net.Http.Headers;

namespace VideoTracker.Tests.Support;

/// <summary>Small helpers over HttpClient for the /v1 API, as a client would call it.</summary>
public static class ApiClient
{
    public static MultipartFormDataContent SubmitForm(string? clipPath, string? pluginId = "opencv-classic", string? tool = "video_motion_detection", IDictionary<string, string>? fields = null, string? fileName = null)
    {
        var form = new MultipartFormDataContent();
        if (clipPath is not null)
        {
            var file = new ByteArrayContent(File.ReadAllBytes(clipPath));
            file.Headers.ContentType = new MediaTypeHeaderValue("video/x-msvideo");
            form.Add(file, "file", fileName ?? Path.GetFileName(clipPath));
        }

        if (pluginId is not null)
        {
            form.Add(new StringContent(pluginId), "plugin_id");
        }

        if (tool is not null)
        {
            form.Add(new StringContent(tool), "tool");
        }

        foreach (var (key, value) in fields ?? new Dictionary<string, string>())
        {
            form.Add(new StringContent(value), key);
        }

        return form;
    }

    public static async Task<Guid> SubmitAsync(this HttpClient client, string clipPath, string pluginId = "opencv-classic", string tool = "video_motion_detection", IDictionary<string, string>? fields = null)
    {
        using var form = SubmitForm(clipPath, pluginId, tool, fields);
        using var response = await client.PostAsync("/v1/video/submit", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Submit answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("job_id").GetGuid();
    }

    /// <summary>Submits the clip and waits for the job to end, failing the test unless it completed; returns its id.</summary>
    public static async Task<Guid> SubmitCompletedAsync(this HttpClient client, string clipPath, string pluginId = "opencv-classic", string tool = "video_motion_detection", IDictionary<string, string>? fields = null)
    {
        var job = await client.SubmitAsync(clipPath, pluginId, tool, fields);
        Assert.Equal("completed", (await client.WaitForTerminalAsync(job)).Status());
        return job;
    }

    /// <summary>Submits the clip and waits until its job is running (a gated tool's job then waits on its gate); returns its id.</summary>
    public static async Task<Guid> SubmitRunningAsync(this HttpClient client, string clipPath, string pluginId, string tool)
    {
        var job = await client.SubmitAsync(clipPath, pluginId, tool);
        await client.WaitForStatusAsync(job, s => s.Status() == "running");
        return job;
    }

    /// <summary>The job's browser preview, asked for again while the server answers 503 (it is still being made).</summary>
    public static async Task<byte[]> GetPreviewAsync(this HttpClient client, Guid jobId, int timeoutSeconds = 300)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            using var response = await client.GetAsync($"/v1/jobs/{jobId}/preview");
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                Assert.True(response.IsSuccessStatusCode, $"The preview answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return await response.Content.ReadAsByteArrayAsync();
            }

            await Task.Delay(500);
        }
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<JsonElement> GetStatusAsync(this HttpClient client, Guid jobId) => client.GetJsonAsync($"/v1/video/status/{jobId}");

    /// <summary>Polls the status until <paramref name="until"/> holds, or fails after the timeout.</summary>
    public static Task<JsonElement> WaitForStatusAsync(this HttpClient client, Guid jobId, Func<JsonElement, bool> until, int timeoutSeconds = 60) =>
        Poll.UntilAsync(
            () => client.GetStatusAsync(jobId),
            until,
            TimeSpan.FromSeconds(timeoutSeconds),
            TimeSpan.FromMilliseconds(25),
            status => $"Job {jobId} did not reach the expected state in {timeoutSeconds}s; last status: {status}");

    public static Task<JsonElement> WaitForTerminalAsync(this HttpClient client, Guid jobId, int timeoutSeconds = 120) =>
        client.WaitForStatusAsync(jobId, s => s.GetProperty("status").GetString() is "completed" or "failed" or "cancelled", timeoutSeconds);

    public static string Status(this JsonElement job) => job.GetProperty("status").GetString()!;

    public static int? Progress(this JsonElement job) =>
        job.GetProperty("progress").ValueKind == JsonValueKind.Null ? null : job.GetProperty("progress").GetInt32();

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendForProblemAsync(this HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static string Detail(this JsonElement problem) => problem.GetProperty("detail").GetString()!;

    /// <summary>Submits a clip to motion detection, expecting a refusal: its status and detail.</summary>
    public static async Task<(HttpStatusCode Status, string Detail)> SubmitForRefusalAsync(this HttpClient client, string clipPath)
    {
        using var form = SubmitForm(clipPath);
        var (status, problem) = await client.SendForProblemAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit") { Content = form });
        return (status, problem.Detail());
    }

    /// <summary>
    /// The job's state in a job's 409 (<c>job_status</c>), once the body is checked to hold exactly one <c>status</c>,
    /// the number 409: a second <c>status</c> member would be a duplicate JSON key, which JavaScript and Python read as the last one.
    /// </summary>
    public static string JobConflictStatus(this JsonElement problem)
    {
        var status = Assert.Single(problem.EnumerateObject(), p => p.Name == "status").Value;
        Assert.Equal(JsonValueKind.Number, status.ValueKind);
        Assert.Equal((int)HttpStatusCode.Conflict, status.GetInt32());
        return problem.GetProperty("job_status").GetString()!;
    }
}
