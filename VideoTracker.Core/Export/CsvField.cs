namespace VideoTracker.Core.Export;

/// <summary>
/// A text field of our CSV downloads, written one way everywhere. It is quoted when it holds a comma, a quote or a line
/// break. It gets a leading apostrophe when it starts like a spreadsheet formula (<c>= + - @</c>, a tab or a carriage
/// return), so that opening a download in a spreadsheet never runs what a zone's name or a model's label says.
/// </summary>
public static class CsvField
{
    public static string Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
