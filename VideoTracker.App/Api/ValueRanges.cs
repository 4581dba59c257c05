using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace VideoTracker.App.Api;

/// <summary>
/// The range of a numeric query or route value, declared once with <see cref="RangeAttribute"/> on the handler's
/// parameter (which the OpenAPI document shows too), checked in one place (<see cref="ChecksValueRanges"/>, before the
/// handler runs) and said in one sentence, whether the value did not bind at all (<c>abc</c>, or too large for its
/// type) or bound outside the range.
/// </summary>
internal static class ValueRanges
{
    /// <summary>"limit must be a whole number from 1 to 500.", or the range's own <see cref="ValidationAttribute.ErrorMessage"/>.</summary>
    public static string Detail(string name, RangeAttribute range) =>
        range.ErrorMessage ?? $"{name} must be a whole number from {range.Minimum} to {range.Maximum}.";

    /// <summary>The detail for <paramref name="parameter"/> of <paramref name="handler"/>, when it declares a range.</summary>
    public static string? Detail(MethodInfo? handler, string parameter) =>
        handler?.GetParameters().FirstOrDefault(p => p.Name == parameter)?.GetCustomAttribute<RangeAttribute>() is { } range
            ? Detail(parameter, range)
            : null;

    /// <summary>
    /// Answers 400 with <see cref="Detail(string, RangeAttribute)"/> for a parameter of the handler that bound to a value
    /// outside its <see cref="RangeAttribute"/>, before the handler runs: handlers never check their ranges again.
    /// Endpoints whose handler declares no range get no filter at all.
    /// </summary>
    public static TBuilder ChecksValueRanges<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            // The filter's arguments are the handler's parameters, in order.
            var ranged = new List<(int Position, string Name, RangeAttribute Range)>();
            foreach (var parameter in factory.MethodInfo.GetParameters())
            {
                if (parameter.GetCustomAttribute<RangeAttribute>() is { } range)
                {
                    range.IsValid(null);   // sets up the attribute's conversion now, not on two requests at once
                    ranged.Add((parameter.Position, parameter.Name ?? string.Empty, range));
                }
            }

            if (ranged.Count == 0)
            {
                return next;
            }

            return context =>
            {
                foreach (var (position, name, range) in ranged)
                {
                    if (!range.IsValid(context.Arguments[position]))
                    {
                        return ValueTask.FromResult<object?>(ApiErrors.BadRequest(Detail(name, range)));
                    }
                }

                return next(context);
            };
        });
}
