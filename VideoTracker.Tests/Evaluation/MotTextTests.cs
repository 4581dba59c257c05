using VideoTracker.Core.Evaluation;

namespace VideoTracker.Tests.Evaluation;

public sealed class MotTextTests
{
    [Theory]
    [InlineData("1,1,10,10,20,40,1,-1,-1,-1\nhello world\n", 2, "Line 2")]
    [InlineData("1,1,10,10,-20,40,1,-1,-1,-1\n", 1, "must not be negative")]
    [InlineData("1,1,10,10,20,40,1\n901,1,10,10,20,40,1\n", 2, "beyond the clip")]
    [InlineData("", 1, "empty")]
    [InlineData("\n\n", 2, "empty")]
    [InlineData("0,1,10,10,20,40,1\n", 1, "from 1")]
    [InlineData("1,1,abc,10,20,40,1\n", 1, "Line 1: field 3 ('abc') is not a number.")]
    [InlineData("1,1,NaN,10,20,40,1\n", 1, "Line 1: field 3 ('NaN') is not a number.")]
    [InlineData("1,1,10,10,20,40,1\nRIFF\u0014|\0AVI LIST\uFFFD,,,,,\n", 2, "Line 2 is not text")]
    public void Parse_BadGroundTruth_NamesTheLine(string text, int line, string expected)
    {
        var result = Assert.IsType<MotParseResult.Invalid>(MotText.Parse(new StringReader(text), maxFrame: 900));

        Assert.Equal(line, result.Line);
        Assert.Contains(expected, result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RowsWithAndWithoutExtraColumns_ReadsThemAll()
    {
        var result = Assert.IsType<MotParseResult.Parsed>(MotText.Parse(new StringReader("1,3,1.5,2,30,60,0.9,-1,-1,-1\n\n2,3,2,2,30,60\n")));

        Assert.Equal([new MotBox(1, 3, 1.5, 2, 30, 60, 0.9), new MotBox(2, 3, 2, 2, 30, 60, 1)], result.Boxes);
    }
}
