using MudBlazor;

namespace VideoTracker.App.Components.Layout;

/// <summary>
/// The app's one theme: MudBlazor's, with status colours that keep text readable (WCAG 1.4.3, 4.5:1) on the status
/// chips, snackbars and buttons. The light scheme darkens the four fills under white text (and so their text on white);
/// the dark scheme keeps its bright fills and writes on them in near-black, and lightens its primary colour, which is
/// both a fill under text (filled buttons, chips) and text on the dark surface (text and outlined buttons).
/// </summary>
public static class AppTheme
{
    private const string DarkText = "rgba(0,0,0,0.87)";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Info = "#1565c0",
            Success = "#2e7d32",
            Warning = "#b45309",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#aca6f2",
            PrimaryContrastText = DarkText,
            InfoContrastText = DarkText,
            SuccessContrastText = DarkText,
            WarningContrastText = DarkText,
            ErrorContrastText = DarkText,
        },
    };
}
