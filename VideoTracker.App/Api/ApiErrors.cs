namespace VideoTracker.App.Api;

/// <summary>Errors as ProblemDetails: JSON with a precise <c>detail</c>, never a stack trace or a server path.</summary>
internal static class ApiErrors
{
    public static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult JobNotFound() => TypedResults.Problem("Job not found", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult Unauthorized(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized);

    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    /// <summary>A job whose stored clip is gone from the data folder (deleted, or a restore that lacks it).</summary>
    public static ProblemHttpResult ClipMissing() => NotFound("The original clip of this job is no longer on the server.");

    public static ProblemHttpResult UnknownPlugin(string value, IEnumerable<string> known) =>
        NotFound($"Unknown plugin '{Truncate(value)}'. Use one of: {string.Join(", ", known)}.");

    /// <summary>
    /// A 409 about a job in the wrong state. The job's state is <c>job_status</c>, not <c>status</c>: ProblemDetails'
    /// <c>status</c> is already the HTTP code, and a second <c>status</c> member would be a duplicate JSON key.
    /// </summary>
    public static ProblemHttpResult Conflict(string detail, JobStatus status) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["job_status"] = status.ToWire() });

    public static ProblemHttpResult InvalidJobId(string value) => BadRequest(InvalidJobIdDetail(value));

    public static string InvalidJobIdDetail(string value) =>
        $"'{Truncate(value)}' is not a valid job id: expected a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301.";

    /// <summary>
    /// A refused submit. With <paramref name="withKind"/> (the browser upload), an <c>error</c> member names the
    /// <see cref="SubmitError"/>; an <c>option</c> member names the option whose value was refused, when one was.
    /// </summary>
    public static ProblemHttpResult FromSubmit(SubmitError error, string detail, bool withKind = false, string? option = null) => TypedResults.Problem(
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
        extensions: SubmitExtensions(withKind ? error.ToWire() : null, option));

    private static Dictionary<string, object?>? SubmitExtensions(string? kind, string? option)
    {
        var members = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (kind is not null)
        {
            members["error"] = kind;
        }

        if (option is not null)
        {
            members["option"] = option;
        }

        return members.Count > 0 ? members : null;
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
