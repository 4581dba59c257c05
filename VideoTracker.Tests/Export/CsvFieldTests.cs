using VideoTracker.Core.Export;

namespace VideoTracker.Tests.Export;

/// <summary>The one way our CSV downloads write text: quoted where needed, and never a formula for a spreadsheet.</summary>
public sealed class CsvFieldTests
{
    [Theory]
    [InlineData("person", "person")]
    [InlineData("gate A", "gate A")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public void Text_QuotesWhereNeeded_AndDisarmsFormulas(string value, string expected) =>
        Assert.Equal(expected, CsvField.Text(value));
}
