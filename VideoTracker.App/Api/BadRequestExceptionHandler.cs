using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
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
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Detail = Detail(bad) },
        }).ConfigureAwait(false);
    }

    private static string Detail(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            return $"The body is not valid JSON for this request: {json.Message}";
        }

        if (exception.InnerException is AntiforgeryValidationException)
        {
            return "The form's antiforgery token is missing or stale: reload the page and send the form again.";
        }

        // The framework names a parameter with its C# type: "Failed to bind parameter "int? limit" from "abc"."
        return BindFailure().Match(exception.Message) is { Success: true } failure
            ? $"'{failure.Groups["value"].Value}' is not a valid value for '{failure.Groups["name"].Value}'."
            : TypedParameter().Replace(exception.Message, "parameter '${name}'");
    }

    [GeneratedRegex("""^Failed to bind parameter "(?:[^"]* )?(?<name>\w+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    [GeneratedRegex(@"parameter ""(?:[^""]* )?(?<name>\w+)""")]
    private static partial Regex TypedParameter();
}
