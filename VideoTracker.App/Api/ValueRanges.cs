using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace VideoTracker.App.Api;

/// <summary>
/// The range of a numeric query or route value, declared once with <see cref="RangeAttribute"/> on the handler's
/// parameter (which the OpenAPI document shows too) and said in one sentence, whether the value did not bind at all
/// (<c>abc</c>, or too large for its type) or bound outside the range.
/// </summary>
internal static class ValueRanges
{
    /// <summary>"limit must be a whole number from 1 to 500.", or the range's own <see cref="ValidationAttribute.ErrorMessage"/>.</summary>
    public static string Detail(string name, RangeAttribute range) =>
        range.ErrorMessage ?? $"{name} must be a whole number from {range.Minimum} to {range.Maximum}.";

    /// <summary>What a handler says of a whole number that bound outside <c>[Range(min, max)]</c>: the same sentence.</summary>
    public static string Detail(string name, int min, int max) => Detail(name, new RangeAttribute(min, max));

    /// <summary>The detail for <paramref name="parameter"/> of <paramref name="handler"/>, when it declares a range.</summary>
    public static string? Detail(MethodInfo? handler, string parameter) =>
        handler?.GetParameters().FirstOrDefault(p => p.Name == parameter)?.GetCustomAttribute<RangeAttribute>() is { } range
            ? Detail(parameter, range)
            : null;
}
