namespace VideoTracker.App.Api;

/// <summary>Errors as ProblemDetails: JSON with a precise <c>detail</c>, never a stack trace or a server path.</summary>
internal static class ApiErrors
{
    public static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult JobNotFound() => TypedResults.Problem("Job not found", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult Unauthorized(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized);

    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult UnknownPlugin(string value, IEnumerable<string> known) =>
        NotFound($"Unknown plugin '{Truncate(value)}'. Use one of: {string.Join(", ", known)}.");

    /// <summary>
    /// A 409 about a job in the wrong state. The job's state is <c>job_status</c>, not <c>status</c>: ProblemDetails'
    /// <c>status</c> is already the HTTP code, and a second <c>status</c> member would be a duplicate JSON key.
    /// </summary>
    public static ProblemHttpResult Conflict(string detail, JobStatus status) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["job_status"] = status.ToWire() });

    public static ProblemHttpResult InvalidJobId(string value) =>
        BadRequest($"'{Truncate(value)}' is not a valid job id: expected a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301.");

    public static ProblemHttpResult FromSubmit(SubmitError error, string detail, bool withKind = false) => TypedResults.Problem(
        detail,
        statusCode: error switch
        {
            SubmitError.TooLarge => StatusCodes.Status413PayloadTooLarge,
            SubmitError.QueueFull => StatusCodes.Status503ServiceUnavailable,
            SubmitError.InsufficientStorage => StatusCodes.Status507InsufficientStorage,
            SubmitError.ClipGone => StatusCodes.Status404NotFound,
            SubmitError.BadRequest or SubmitError.NotAVideo or SubmitError.ExpiredForm => StatusCodes.Status400BadRequest,
            _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
        },
        extensions: withKind ? new Dictionary<string, object?> { ["error"] = error.ToWire() } : null);

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
