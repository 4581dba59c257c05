using System.Numerics;

namespace VideoTracker.Core.Plugins;

/// <summary>A tool's validated options: every declared input has a value (its default when not given).</summary>
public sealed class ToolOptions
{
    private readonly Dictionary<string, object?> _values;

    private ToolOptions(Dictionary<string, object?> values) => _values = values;

    public static ToolOptions Empty { get; } = new(new Dictionary<string, object?>(StringComparer.Ordinal));

    public IReadOnlyDictionary<string, object?> Values => _values;

    /// <summary>
    /// A bound input's value. Options are bound against the manifest at submit (defaults filled in), stored, and bound
    /// again at run time, so every declared input has a value and a tool never writes its defaults a second time.
    /// Each tool reads them once, at the start of its run, into its own typed options record.
    /// </summary>
    public double Number(string name) => Convert.ToDouble(Required(name), CultureInfo.InvariantCulture);

    /// <inheritdoc cref="Number"/>
    public int WholeNumber(string name) => Convert.ToInt32(Required(name), CultureInfo.InvariantCulture);

    /// <inheritdoc cref="Number"/>
    public bool Flag(string name) => Required(name) is true;

    /// <summary>A declared input whose default is "none" (such as <c>max_frames</c>): its value, or null.</summary>
    public int? OptionalWholeNumber(string name) =>
        Declared(name) is { } v ? Convert.ToInt32(v, CultureInfo.InvariantCulture) : null;

    /// <summary>A declared text input: its value, or null when it has none.</summary>
    public string? Text(string name) => Declared(name) as string;

    /// <summary>Whether the tool declares the input (shared readers, such as <c>FrameSelection.From</c>, serve tools that do not).</summary>
    public bool Declares(string name) => _values.ContainsKey(name);

    private object Required(string name) => Declared(name)
        ?? throw new InvalidOperationException($"Option '{name}' has no value: options must be bound against the tool's manifest.");

    private object? Declared(string name) => _values.TryGetValue(name, out var v)
        ? v
        : throw new InvalidOperationException($"Option '{name}' is not declared: options must be bound against the tool's manifest.");

    public string ToJson() => JsonSerializer.Serialize(_values);

    /// <summary>Reads options stored by <see cref="ToJson"/> back against the tool's inputs.</summary>
    public static ToolOptions FromJson(string json, IReadOnlyList<ToolInput> inputs) =>
        Bind(inputs, RawTexts(json)).Match(options => options, refused => throw new InvalidOperationException($"Stored options are invalid: {refused.Detail}"));

    /// <summary>Options stored by <see cref="ToJson"/> as the raw texts <see cref="Bind"/> reads, as if sent as form fields.</summary>
    public static Dictionary<string, string?> RawTexts(string json)
    {
        var raw = new Dictionary<string, string?>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            raw[property.Name] = RawText(property.Value);
        }

        return raw;
    }

    /// <summary>A JSON value as a form field's text: a string as itself, null as none, anything else (numbers, arrays) as its JSON.</summary>
    public static string? RawText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };

    /// <summary>
    /// Validates raw option strings (form fields) against the tool's inputs. Refuses with a precise detail an unknown
    /// option, a missing required one, a value of the wrong type or one out of range; for all but an unknown option, the
    /// refusal also says which option and why.
    /// </summary>
    public static OptionsResult<ToolOptions> Bind(IReadOnlyList<ToolInput> inputs, IReadOnlyDictionary<string, string?> raw)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(raw);
        var byName = inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var name in raw.Keys)
        {
            if (!byName.ContainsKey(name))
            {
                var known = inputs.Count == 0 ? "none" : string.Join(", ", inputs.Select(i => i.Name));
                return new OptionsResult<ToolOptions>.Refused($"Unknown option '{name}'. Options of this tool: {known}.");
            }
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (!raw.TryGetValue(input.Name, out var text) || string.IsNullOrWhiteSpace(text))
            {
                if (input.Required)
                {
                    return new OptionsResult<ToolOptions>.Refused(new OptionError(input.Name, "is required."));
                }

                values[input.Name] = input.Default;
                continue;
            }

            var value = Parse(input, text.Trim(), out var refused);
            if (refused is not null)
            {
                return new OptionsResult<ToolOptions>.Refused(refused);
            }

            values[input.Name] = value;
        }

        return new OptionsResult<ToolOptions>.Bound(new ToolOptions(values));
    }

    private static object? Parse(ToolInput input, string text, out OptionError? refused)
    {
        refused = null;
        switch (input.Type)
        {
            case ToolInputType.Boolean:
                if (bool.TryParse(text, out var b))
                {
                    return b;
                }

                if (text is "1" or "on")
                {
                    return true;
                }

                if (text is "0" or "off")
                {
                    return false;
                }

                refused = new OptionError(input.Name, $"must be true or false, not '{text}'.");
                return null;

            case ToolInputType.WholeNumber:
                if (!BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
                {
                    refused = new OptionError(input.Name, $"must be a whole number, not '{text}'.");
                    return null;
                }

                // A number too large for any option is out of its range, which says more than "not a whole number".
                if (!CheckRange(input, (double)whole, out refused))
                {
                    return null;
                }

                if (whole > int.MaxValue || whole < int.MinValue)
                {
                    refused = new OptionError(input.Name, $"must be between {int.MinValue} and {int.MaxValue}, not {text}.");
                    return null;
                }

                return (int)whole;

            case ToolInputType.Number:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                {
                    // A comma is refused, never read as 5 or as 0.5: 0,5 is a half where many countries write decimals so,
                    // and 1,000 a thousand where others group digits so. The sentence says how to write it.
                    refused = new OptionError(input.Name, text.Contains(',', StringComparison.Ordinal)
                        ? $"must be a number written with a decimal point and no thousands separator, not '{text}'."
                        : $"must be a number, not '{text}'.");
                    return null;
                }

                return CheckRange(input, d, out refused) ? d : null;

            default:
                return text;
        }
    }

    private static bool CheckRange(ToolInput input, double value, out OptionError? refused)
    {
        refused = null;
        if ((input.Minimum is { } min && value < min) || (input.Maximum is { } max && value > max))
        {
            var min2 = input.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "-∞";
            var max2 = input.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "∞";
            refused = new OptionError(input.Name, $"must be between {min2} and {max2}, not {value.ToString(CultureInfo.InvariantCulture)}.");
            return false;
        }

        return true;
    }
}
