namespace VideoTracker.Tests.Results;

public sealed class ResultSummaryTests
{
    [Theory]
    [InlineData(795, 795, false, 795)] // decoded the whole clip
    [InlineData(100, 795, false, 795)] // stopped by max_frames: the header knows the rest
    [InlineData(600, 795, true, 600)]  // a truncated clip: decoding ended before the header's count
    [InlineData(810, 795, false, 810)] // the header claimed too few
    [InlineData(100, null, false, 100)] // no header: the frames decoded are all that is known
    public void ClipFrames_FromTheDecodedAndHeaderCounts_IsTheClipsLength(int decoded, int? header, bool endedEarly, int expected)
    {
        var summary = new ResultSummary(decoded, decoded, 0, 0, new Dictionary<string, int>(), 1, header, endedEarly, null);

        Assert.Equal(expected, summary.ClipFrames());
    }
}
