namespace VideoTracker.Tests.Api;

/// <summary>
/// A clip OpenCV cannot read is refused at submit, or fails its job, with the cause ffprobe (a real child process)
/// finds in it, not a generic "cannot be opened". The clips are made here with Debian's ffmpeg.
/// </summary>
public sealed class UnreadableClipTests(TestPluginAppFactory factory) : IClassFixture<TestPluginAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    public static TheoryData<string, string> Causes => new()
    {
        { "tone.m4a", "The file has no video stream: it holds only audio (aac)." },
        { "tone.mp4", "The file has no video stream: it holds only audio (aac)." },
        { "cut-off.mp4", "The file is incomplete or damaged (the MP4 index is missing: was the upload or recording cut off?)." },
        { "cut-off-faststart.mp4", "The file is incomplete or damaged (it ends part-way through its video: was the upload or recording cut off?)." },
        { "av1.mp4", "The file's video is AV1, which this server cannot decode; convert it to H.264, e.g. `ffmpeg -i in.mkv -c:v libx264 out.mp4`." },
        { "notes.mp4", "The file is not a video, nor in any audio or video format that this server recognises." },
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public async Task Submit_ClipOpenCvCannotRead_Returns400NamingTheCause(string name, string expected)
    {
        var clip = await MakeAsync(name);

        var (status, detail) = await _client.SubmitForRefusalAsync(clip);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(expected, detail);
        Assert.Empty(Directory.GetFiles(Path.Combine(factory.DataDirectory, "staging")));
    }

    [Fact]
    public async Task Job_WhoseClipIsCutOffBeforeItRuns_FailsSayingTheFileIsIncomplete()
    {
        // The one worker is held by a gated job while the next job's clip is replaced by a cut-off MP4 on disk.
        var blocker = await factory.SubmitGatedToFrameAsync(_client, TestClips.MovingSquare(factory.Clips.Path, frames: 3, name: "blocker.avi"), 1);
        var job = await _client.SubmitAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: "replaced.avi"));
        var input = Directory.GetFiles(Path.Combine(factory.DataDirectory, "jobs", job.ToString("N")), "input*").Single();
        File.Copy(await UnreadableClipFiles.CutOffMp4Async(factory.Clips.Path, "replacement.mp4"), input, overwrite: true);

        factory.Plugin.Gated.Gate.Release(2);
        Assert.Equal("completed", (await _client.WaitForTerminalAsync(blocker)).Status());
        var done = await _client.WaitForTerminalAsync(job);

        Assert.Equal("failed", done.Status());
        Assert.Equal("The file is incomplete or damaged (the MP4 index is missing: was the upload or recording cut off?).", done.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Preview_OfAClipCutOffAfterItsJobRan_Answers500NamingTheCause()
    {
        var job = await _client.SubmitCompletedAsync(TestClips.MovingSquare(factory.Clips.Path, frames: 5, name: "preview-replaced.avi"));
        var input = Directory.GetFiles(Path.Combine(factory.DataDirectory, "jobs", job.ToString("N")), "input*").Single();
        File.Copy(await UnreadableClipFiles.CutOffMp4Async(factory.Clips.Path, "preview-replacement.mp4"), input, overwrite: true);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{job}/preview");
        var (status, body) = await _client.SendForProblemAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("The file is incomplete or damaged (the MP4 index is missing: was the upload or recording cut off?).", body.GetProperty("detail").GetString());
    }

    /// <summary>The clip of each <see cref="Causes"/> row: audio only, MP4s cut off without or with their index, AV1, text.</summary>
    private async Task<string> MakeAsync(string name)
    {
        var folder = factory.Clips.Path;
        switch (name)
        {
            case "tone.m4a" or "tone.mp4":
                return await UnreadableClipFiles.AudioOnlyAsync(folder, name);
            case "cut-off.mp4":
                return await UnreadableClipFiles.CutOffMp4Async(folder, name);
            case "cut-off-faststart.mp4":
                return await UnreadableClipFiles.CutOffMp4Async(folder, name, faststart: true);
            case "av1.mp4":
                return await UnreadableClipFiles.Av1Async(folder, name);
            default:
                var path = Path.Combine(folder, name);
                await File.WriteAllTextAsync(path, "just some text, not a video\n");
                return path;
        }
    }
}
