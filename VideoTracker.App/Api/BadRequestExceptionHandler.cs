using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace VideoTracker.App.Api;

/// <summary>
/// A request the framework could not bind (a body that is not valid JSON for it, a query value of the wrong
/// type, a page's form without its antiforgery token) answers 400 with a detail that says what was wrong, instead
/// of a bare "Bad Request", and never with the C# types of our handlers' parameters.
/// Needs <see cref="RouteHandlerOptions.ThrowOnBadRequest"/>, so that binding failures reach the exception handler.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Detail = Detail(httpContext, bad) },
        }).ConfigureAwait(false);
    }

    private static string Detail(HttpContext httpContext, BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            return $"The body is not valid JSON for this request: {WrongType(httpContext, json) ?? json.Message}";
        }

        if (exception.InnerException is AntiforgeryValidationException)
        {
            return "The form's antiforgery token is missing or stale: reload the page and send the form again.";
        }

        // A JSON body sent with no Content-Type (or another one) gets the app's sentence, as every JSON endpoint's 415 does.
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return ProblemJsonWriter.NotJsonDetail;
        }

        // A malformed job id is answered first, as JobIdFilter does when every value bound (the route's values are
        // cleared from the context by now: the handler's feature keeps them).
        if (JobIdFilter.Malformed(httpContext.Features.Get<IExceptionHandlerFeature>()?.RouteValues) is { } jobId)
        {
            return ApiErrors.InvalidJobIdDetail(jobId);
        }

        // The framework names a parameter with its C# type: "Failed to bind parameter "int? limit" from "abc"."
        // A parameter with a [Range] says its range, whatever the value (abc, or too large for an int).
        if (BindFailure().Match(exception.Message) is not { Success: true } failure)
        {
            return TypedParameter().Replace(exception.Message, "parameter '${name}'");
        }

        var name = failure.Groups["name"].Value;
        return ValueRanges.Detail(Endpoint(httpContext)?.Metadata.GetMetadata<MethodInfo>(), name)
            ?? $"'{failure.Groups["value"].Value}' is not a valid value for '{name}'.";
    }

    /// <summary>The endpoint that failed: the exception handler sees it only through its feature, as the middleware clears it from the context.</summary>
    private static Endpoint? Endpoint(HttpContext httpContext) => httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint;

    /// <summary>
    /// "'disabled' must be true or false (at $.disabled)." for a value of the wrong type in a field of the body, or
    /// "the value at $.options.x has the wrong type." deeper down, where the serializer would name a C# type; null
    /// for JSON that does not parse, whose message names none.
    /// </summary>
    private static string? WrongType(HttpContext httpContext, JsonException json)
    {
        if (json.Path is not { } path || !json.Message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
        {
            return null;   // not a type mismatch: the reader's own message names no type
        }

        var body = Endpoint(httpContext)?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var name = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        var property = body?.GetProperties().FirstOrDefault(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == name);
        var type = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var expected = type switch
        {
            null => null,
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type.IsAssignableTo(typeof(System.Collections.IDictionary)) => "an object",
            _ when type.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "a list",
            _ => "an object",
        };
        return expected is null ? $"the value at {path} has the wrong type." : $"'{name}' must be {expected} (at {path}).";
    }

    [GeneratedRegex("""^Failed to bind parameter "(?:[^"]* )?(?<name>\w+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    [GeneratedRegex(@"parameter ""(?:[^""]* )?(?<name>\w+)""")]
    private static partial Regex TypedParameter();
}
