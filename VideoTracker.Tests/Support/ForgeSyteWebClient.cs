using System.Net.Http.Headers;

namespace VideoTracker.Tests.Support;

/// <summary>
/// What ForgeSyte v0.9.6's web client (<c>web-ui/src/api/client.ts</c> and <c>components/JobStatus.tsx</c>)
/// does on the wire, request by request: every call sends <c>Content-Type: application/json</c> (a GET too)
/// and <c>X-API-Key</c> when it has one; a response is read only when its content type contains
/// <c>application/json</c>, and an error shows the body's <c>detail</c> only then.
/// </summary>
public sealed class ForgeSyteWebClient(HttpClient http, string baseUrl = "/v1", string? apiKey = null, string? origin = null)
{
    /// <summary>Every response the client received, for checks that hold across the whole flow.</summary>
    public List<HttpResponseMessage> Responses { get; } = [];

    /// <summary>The client's <c>fetch</c> wrapper: the parsed JSON, or an exception with the message the UI would show.</summary>
    public async Task<JsonElement> FetchAsync(string endpoint, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, baseUrl + endpoint)
        {
            // fetch() sends the header even without a body; HttpClient needs an empty content to carry it.
            Content = new ByteArrayContent([]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await SendAsync(request);
    }

    /// <summary><c>submitVideo</c>: plugin and tool in the query string, the clip as the multipart field <c>file</c>.</summary>
    public async Task<JsonElement> SubmitVideoAsync(string clipPath, string pluginId, string tool)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(clipPath));
        file.Headers.ContentType = new MediaTypeHeaderValue("video/x-msvideo");
        form.Add(file, "file", Path.GetFileName(clipPath));
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{baseUrl}/video/submit?plugin_id={Uri.EscapeDataString(pluginId)}&tool={Uri.EscapeDataString(tool)}")
        { Content = form };
        return await SendAsync(request);
    }

    private async Task<JsonElement> SendAsync(HttpRequestMessage request)
    {
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        var response = await http.SendAsync(request);
        Responses.Add(response);
        var isJson = response.Content.Headers.ContentType?.ToString().Contains("application/json", StringComparison.Ordinal) == true;
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            if (!isJson)
            {
                throw new ForgeSyteClientException($"Server returned non-JSON response (HTTP {(int)response.StatusCode}): {text[..Math.Min(200, text.Length)]}");
            }

            var error = JsonDocument.Parse(text).RootElement;
            throw new ForgeSyteClientException(error.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } message
                ? message
                : $"API error: {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        if (!isJson)
        {
            throw new ForgeSyteClientException($"Server returned non-JSON response: {text[..Math.Min(200, text.Length)]}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>An error as the ForgeSyte UI would show it.</summary>
public sealed class ForgeSyteClientException(string message) : Exception(message);

/// <summary>The v0.9.6 web client's steps from choosing a plugin to showing results, as its code runs them.</summary>
public static class ForgeSyteFlow
{
    public sealed record Outcome(string Tool, JsonElement Job, int Polls);

    public static async Task<Outcome> RunAsync(ForgeSyteWebClient client, string pluginName, string clip, TimeSpan pollInterval, int maxPolls = 1200)
    {
        // getPlugins(): result.plugins; the user picks a plugin by its name.
        var plugins = await client.FetchAsync("/plugins");
        var plugin = plugins.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("name").GetString() == pluginName);
        Assert.False(string.IsNullOrEmpty(plugin.GetProperty("version").GetString()));

        // getPluginManifest(name): the first tool whose input_types contains "video" (tools as an array or keyed by id).
        var manifest = await client.FetchAsync($"/plugins/{pluginName}/manifest");
        var tools = manifest.GetProperty("tools");
        var toolList = tools.ValueKind == JsonValueKind.Array
            ? tools.EnumerateArray().Select(t => (Id: t.GetProperty("id").GetString()!, Tool: t)).ToList()
            : [.. tools.EnumerateObject().Select(p => (Id: p.Name, Tool: p.Value))];
        var tool = toolList.First(t => t.Tool.GetProperty("input_types").EnumerateArray().Any(i => i.GetString() == "video")).Id;

        // submitVideo(file, plugin, tool): job_id.
        var submitted = await client.SubmitVideoAsync(clip, pluginName, tool);
        var jobId = submitted.GetProperty("job_id").GetString();

        // JobStatus: poll getJob(id) until results are there (or an error), at the client's interval.
        for (var polls = 1; polls <= maxPolls; polls++)
        {
            var job = await client.FetchAsync($"/jobs/{jobId}");
            var progress = job.GetProperty("progress").ValueKind;
            Assert.True(progress is JsonValueKind.Number or JsonValueKind.Null, $"progress is {progress}");
            var status = job.Status();
            if (status == "completed" && job.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Object)
            {
                return new Outcome(tool, job, polls);
            }

            Assert.True(status is not ("failed" or "cancelled"), $"The job ended as {status}: {job}");
            await Task.Delay(pollInterval);
        }

        Assert.Fail($"The client was still polling after {maxPolls} polls: results never appeared.");
        return null!;
    }
}
