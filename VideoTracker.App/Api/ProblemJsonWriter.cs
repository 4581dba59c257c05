using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace VideoTracker.App.Api;

/// <summary>
/// Writes every ProblemDetails of the app (endpoint errors, bare status codes, unhandled exceptions, 401s).
/// The body is always the same JSON with a <c>detail</c>; the content type is <c>application/problem+json</c>
/// only for a client whose <c>Accept</c> names it, and <c>application/json</c> otherwise, because plain fetch
/// clients (browsers' defaults, ForgeSyte's web UI) read the body only when the type says <c>application/json</c>.
/// </summary>
internal sealed class ProblemJsonWriter(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public const string ProblemJson = "application/problem+json";
    public const string PlainJson = "application/json";
    public const string NotJsonDetail = "Send the body as JSON, with Content-Type: application/json.";

    private static readonly MediaTypeHeaderValue ProblemJsonType = new(ProblemJson);

    /// <summary>An error is JSON for every client, whatever it accepts.</summary>
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problem.Type ??= TypedResults.Problem(statusCode: problem.Status).ProblemDetails.Type;   // the framework's link for the status, as on our own errors
        problem.Detail ??= problem.Status == StatusCodes.Status415UnsupportedMediaType
            ? NotJsonDetail   // the framework answers a JSON endpoint's other content types with a bare 415
            : problem.Title;  // a bare 404 or 405 still says something in "detail"
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, ContentTypeFor(http.Request)));
    }

    /// <summary><c>application/problem+json</c> when the request's Accept names it (with a non-zero quality), else <c>application/json</c>.</summary>
    public static string ContentTypeFor(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        return accept.Any(a => a.MediaType.Equals(ProblemJsonType.MediaType, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0)
            ? ProblemJson
            : PlainJson;
    }
}
