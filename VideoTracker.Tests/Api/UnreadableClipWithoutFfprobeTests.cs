namespace VideoTracker.Tests.Api;

/// <summary>With no ffprobe where <c>Detection:FfprobePath</c> points, a clip OpenCV cannot read gets OpenCV's own message.</summary>
public sealed class UnreadableClipWithoutFfprobeTests(UnreadableClipWithoutFfprobeTests.NoFfprobeAppFactory factory)
    : IClassFixture<UnreadableClipWithoutFfprobeTests.NoFfprobeAppFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Submit_AudioOnlyOrAv1_Returns400WithTheGenericMessages()
    {
        var audio = await UnreadableClipFiles.AudioOnlyAsync(factory.Clips.Path, "tone.m4a");
        var av1 = await UnreadableClipFiles.Av1Async(factory.Clips.Path);

        Assert.Equal((HttpStatusCode.BadRequest, "The file is not a video that can be opened (unknown container or codec)."), await _client.SubmitForRefusalAsync(audio));
        Assert.Equal((HttpStatusCode.BadRequest, "The video opened, but its first frame could not be decoded."), await _client.SubmitForRefusalAsync(av1));
    }

    public sealed class NoFfprobeAppFactory : VideoTrackerAppFactory
    {
        public NoFfprobeAppFactory() => Settings["Detection:FfprobePath"] = Path.Combine(Clips.Path, "no-ffprobe-here");
    }
}
