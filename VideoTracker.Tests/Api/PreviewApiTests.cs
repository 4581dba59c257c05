using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace VideoTracker.Tests.Api;

public sealed class PreviewWaitFactory : VideoTrackerAppFactory
{
    public PreviewWaitFactory() => Settings["Jobs:PreviewWaitSeconds"] = "1";
}

/// <summary>A preview request waits for its encode only so long (<c>Jobs:PreviewWaitSeconds</c>), then says how far it has got.</summary>
public sealed partial class PreviewApiTests(PreviewWaitFactory factory) : IClassFixture<PreviewWaitFactory>
{
    [Fact]
    public async Task Preview_WhileALongClipIsStillBeingEncoded_Is503WithRetryAfterAndThePercentThen200WithRanges()
    {
        using var client = factory.CreateClient();
        var clip = await LongClip.CreateAsync(factory.Clips.Path);
        var job = await client.SubmitCompletedAsync(clip, fields: new Dictionary<string, string> { ["max_frames"] = "5" });

        var clock = Stopwatch.StartNew();
        using var first = await client.GetAsync($"/v1/jobs/{job}/preview");
        var answeredAfter = clock.Elapsed;
        var detail = (await first.Content.ReadFromJsonAsync<JsonElement>()).Detail();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(PreviewVideos.RetryAfterSeconds), first.Headers.RetryAfter?.Delta);
        Assert.Matches(PreparingDetail(), detail);
        Assert.True(answeredAfter < TimeSpan.FromSeconds(8), $"answered after {answeredAfter.TotalSeconds:F1}s");

        // The encode went on without the request; once it is done, the preview is served, in ranges too.
        var whole = await client.GetPreviewAsync(job);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{job}/preview") { Headers = { Range = new RangeHeaderValue(0, 99) } };
        using var range = await client.SendAsync(request);

        Assert.True(whole.Length > 1000);
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(whole[..100], await range.Content.ReadAsByteArrayAsync());
    }

    [GeneratedRegex(@"^The preview is being prepared \((\d|[1-9]\d) %\); try again shortly\.$")]
    private static partial Regex PreparingDetail();
}
