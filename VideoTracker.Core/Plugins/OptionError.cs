namespace VideoTracker.Core.Plugins;

/// <summary>
/// A declared option whose value was refused (missing, of the wrong type, out of range, not one of its choices): which
/// option, by its key, and what is wrong, in words that follow the option's name. The API names the option by its key;
/// a form names it by the label it shows (the input's <see cref="ToolInput.Title"/>), so the person sees the field they typed in.
/// </summary>
/// <param name="Option">The option's key, as in the manifest and the API (<c>min_area</c>).</param>
/// <param name="Problem">What is wrong, to follow the option's name: "must be between 1 and 10, not 0.".</param>
public sealed record OptionError(string Option, string Problem)
{
    /// <summary>As the API says it: "Option 'min_area' must be between 1 and 10, not 0.".</summary>
    public string Detail => $"Option '{Option}' {Problem}";

    /// <summary>As a form that labels the option says it: "Minimum blob area must be between 1 and 10, not 0.".</summary>
    public string Naming(string label) => $"{label} {Problem}";
}
