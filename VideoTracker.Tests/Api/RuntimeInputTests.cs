namespace VideoTracker.Tests.Api;

/// <summary>Clips that pass the submit checks but misbehave while they run, and names that try to be paths.</summary>
public sealed class RuntimeInputTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Job_ClipTruncatedPartWay_CompletesWithTheFramesItHadAndSaysDecodingEndedEarly()
    {
        var whole = TestClips.MovingSquare(factory.Clips.Path, frames: 60, name: "whole.avi");
        var truncated = TestClips.Truncated(whole, factory.Clips.Path, 0.5);

        var job = await _client.SubmitAsync(truncated);
        var done = await _client.WaitForTerminalAsync(job);

        Assert.Equal("completed", done.Status());
        Assert.Equal(100, done.Progress());
        var summary = (await _client.GetJsonAsync($"/v1/video/results/{job}")).GetProperty("results").GetProperty("summary");
        Assert.True(summary.GetProperty("decoding_ended_early").GetBoolean());
        Assert.Equal(60, summary.GetProperty("header_frame_count").GetInt32());
        Assert.InRange(summary.GetProperty("total_frames").GetInt32(), 1, 59);
    }

    [Theory]
    [InlineData("../../etc/passwd.avi", "passwd.avi")]
    [InlineData("/absolute/path/clip.avi", "clip.avi")]
    [InlineData("C:\\Users\\me\\clip.avi", "clip.avi")]
    [InlineData("bad\u0001\u001fname\t.avi", "badname.avi")]
    [InlineData("ünï\u202Ecodé.avi", "ünïcodé.avi")]                            // right-to-left override: would show "ünïiva.édoc"
    [InlineData("\uFEFF\u200Eclip\u2066\u200B\u200F\u2069\u202A.avi", "clip.avi")]   // BOM, marks, isolates, embeddings, zero width
    [InlineData("tag\U000E0041.avi", "tag.avi")]                                   // a format character outside the BMP
    [InlineData("say %22hi%22; 北京 مرحبا 🎥.avi", "say \"hi\"; 北京 مرحبا 🎥.avi")]    // quotes as Chromium, Firefox and curl send them
    [InlineData("two%0D%0Alines.avi", "twolines.avi")]                             // CR LF as they send them: control characters, dropped
    public async Task Submit_HostileFileName_IsStoredUnderAGeneratedNameAndKeptAsDisplayText(string hostile, string display)
    {
        var clip = TestClips.MovingSquare(factory.Clips.Path, frames: 3, name: "plain.avi");
        using var form = RawMultipart(clip, hostile);

        using var response = await _client.PostAsync("/v1/video/submit?plugin_id=opencv-classic&tool=video_motion_detection", form);
        var id = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("job_id").GetGuid();

        var detail = await _client.GetJsonAsync($"/v1/jobs/{id}");
        Assert.Equal(display, detail.GetProperty("file_name").GetString());
        using var original = await _client.GetAsync($"/v1/jobs/{id}/video", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(display, original.Content.Headers.ContentDisposition?.FileNameStar);
        var stored = Directory.GetFiles(Path.Combine(factory.DataDirectory, "jobs", id.ToString("N")), "input*");
        Assert.Equal(["input.avi"], stored.Select(Path.GetFileName));
        await _client.WaitForTerminalAsync(id);
    }

    [Fact]
    public void DisplayName_VeryLongUnicode_IsCutTo255CharactersWithoutSplittingASurrogatePair_AndKeepsItsExtension()
    {
        var name = string.Concat(Enumerable.Repeat("😀", 300)) + ".mp4";

        var display = JobSubmitter.DisplayName(name);

        Assert.True(display.Length <= 255);
        Assert.False(char.IsHighSurrogate(display[^5]));
        Assert.StartsWith("😀😀", display, StringComparison.Ordinal);
        Assert.EndsWith("😀.mp4", display, StringComparison.Ordinal);
        Assert.Equal(new string('a', 251) + ".avi", JobSubmitter.DisplayName(new string('a', 300) + ".avi"));
    }

    /// <summary>Builds the multipart body by hand: HttpClient refuses control characters in a file name, browsers and curl do not.</summary>
    private static ByteArrayContent RawMultipart(string clip, string fileName)
    {
        const string boundary = "----videotracker-test-boundary";
        var head = System.Text.Encoding.UTF8.GetBytes(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName.Replace("\n", "%0A", StringComparison.Ordinal)}\"\r\nContent-Type: video/x-msvideo\r\n\r\n");
        var tail = System.Text.Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n");
        var content = new ByteArrayContent([.. head, .. File.ReadAllBytes(clip), .. tail]);
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        return content;
    }
}
