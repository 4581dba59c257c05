namespace VideoTracker.App.Accounts;

/// <summary>401, 403 and 429 answers written by authentication and the rate limiter, as JSON with a detail.</summary>
internal static class ApiProblems
{
    public const string ForbiddenDetail = "Your role does not allow this.";

    public static Task WriteAsync(HttpContext context, int status, string detail)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        return TypedResults.Problem(detail, statusCode: status).ExecuteAsync(context);
    }
}
