using MudBlazor;

namespace VideoTracker.App.Components.Services;

/// <summary>Form-field rules for tool options, using Core's own validation so the form and the API agree.</summary>
public static class OptionRules
{
    public static string? DefaultText(ToolInput input) => input.Default switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    /// <summary>
    /// The keyboard a phone shows for the field: digits for a whole number (every whole-number option is at least 1).
    /// A decimal number keeps the full keyboard, since a phone's decimal pad may offer only its locale's comma.
    /// </summary>
    public static InputMode Keyboard(ToolInput input) => input.Type == ToolInputType.WholeNumber ? InputMode.numeric : InputMode.text;

    /// <summary>
    /// Null when <paramref name="text"/> is a valid value (or empty for an optional input), else the error, naming the
    /// option by the label the form shows it with (its title in the manifest), not by its key.
    /// </summary>
    public static string? Validate(ToolInput input, string? text)
    {
        var raw = new Dictionary<string, string?>(StringComparer.Ordinal) { [input.Name] = text };
        return ToolOptions.Bind([input], raw).Match<string?>(_ => null, refused => refused.Option?.Naming(input.Title) ?? refused.Detail);
    }

    public static string Help(ToolInput input)
    {
        var parts = new List<string>();
        if (DefaultText(input) is { } d)
        {
            parts.Add($"Default {d}");
        }
        else if (!input.Required)
        {
            parts.Add("Optional");
        }

        if (input.Minimum is not null || input.Maximum is not null)
        {
            var min = input.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "−∞";
            var max = input.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "∞";
            parts.Add($"{min} to {max}");
        }

        parts.Add(input.Description);
        return string.Join(" · ", parts);
    }
}
