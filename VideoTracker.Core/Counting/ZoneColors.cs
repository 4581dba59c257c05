namespace VideoTracker.Core.Counting;

/// <summary>
/// The colour of each zone, by its place in the <c>zones</c> option: the same in the zone editor, on the
/// job page's overlay and cards, and burnt into the annotated video.
/// </summary>
public static class ZoneColors
{
    private static readonly (byte R, byte G, byte B)[] Palette =
    [
        (255, 193, 7),   // amber
        (0, 188, 212),   // cyan
        (233, 30, 99),   // pink
        (139, 195, 74),  // light green
        (156, 39, 176),  // purple
        (255, 87, 34),   // deep orange
    ];

    public static (byte R, byte G, byte B) Rgb(int index) => Palette[((index % Palette.Length) + Palette.Length) % Palette.Length];

    /// <summary>CSS colour such as <c>#ffc107</c>.</summary>
    public static string Hex(int index)
    {
        var (r, g, b) = Rgb(index);
        return string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
    }
}
