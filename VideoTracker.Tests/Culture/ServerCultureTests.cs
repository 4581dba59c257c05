using VideoTracker.App;

namespace VideoTracker.Tests.Culture;

/// <summary>A server elsewhere: what the app writes does not follow the culture of the machine it runs on.</summary>
public sealed class ServerCultureTests
{
    /// <summary>
    /// The app runs with InvariantGlobalization, so LANG=de_DE.UTF-8 or ar_SA.UTF-8 changes nothing. Started with ICU
    /// cultures instead, the upload limit read "1,5 MiB" (de_DE, tr_TR) and "1٫5 MiB" (ar_SA), and a .razor date's
    /// year would be of the Um al-Qura calendar (ar-SA): the setting is part of the app's behaviour, kept here.
    /// </summary>
    [Fact]
    public void App_RunsWithInvariantGlobalization()
    {
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppProcess.AppDirectory, "VideoTracker.App.runtimeconfig.json")));

        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.True(properties.GetProperty("System.Globalization.Invariant").GetBoolean());
    }

    /// <summary>Invariant mode allows no named culture, but a copy of the invariant one with German or Arabic separators.</summary>
    [Theory]
    [InlineData(",", ".")]
    [InlineData("\u066B", "\u066C")]
    public void DisplayFormat_UnderACultureWithAnotherDecimalSeparator_WritesAPoint(string decimalSeparator, string groupSeparator)
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = decimalSeparator;
        culture.NumberFormat.NumberGroupSeparator = groupSeparator;
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = culture;
        try
        {
            Assert.Equal("1.5 MiB", DisplayFormat.Bytes(3L << 19));
            Assert.Equal("2.5 GiB", DisplayFormat.Bytes(5L << 29));
            Assert.Equal("1.5 KiB", DisplayFormat.Bytes(1536));
            Assert.Equal("1h 01m", DisplayFormat.Duration(TimeSpan.FromMinutes(61.5)));
            Assert.Equal("1:02:03", DisplayFormat.ClipTime(3_723_400));
            Assert.Equal("2026-11-27 18:05:09 UTC", DisplayFormat.Utc(new DateTime(2026, 11, 27, 18, 5, 9, DateTimeKind.Utc)));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
