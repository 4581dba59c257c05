using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using VideoTracker.Core.Data;
using VideoTracker.Core.Storage;

namespace VideoTracker.App.Api;

/// <summary>
/// A request that fails because a resource it needed is away, not because of the request, answers with a detail that
/// says so instead of a 500: a full disk is 507 (the upload path answers that itself, and removes what it had
/// written; this covers the rest), a data folder that refuses a read or write (<see cref="DataFolderDenied"/>) is a 500
/// that says so, a database that is not answering (<see cref="DatabaseUnavailable"/>) is 503 with
/// <c>Retry-After</c>.
/// </summary>
internal sealed class ResourceExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        int status;
        string detail;
        if (DiskFull.Is(exception))
        {
            (status, detail) = (StatusCodes.Status507InsufficientStorage, DiskFull.GeneralDetail);
        }
        else if (DataFolderDenied.Is(exception))
        {
            (status, detail) = (StatusCodes.Status500InternalServerError, DataFolderDenied.RequestDetail);
        }
        else if (DatabaseUnavailable.Is(exception))
        {
            (status, detail) = (StatusCodes.Status503ServiceUnavailable, DatabaseUnavailable.RequestDetail);
            httpContext.Response.Headers.RetryAfter = DatabaseUnavailable.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Detail = detail },
        }).ConfigureAwait(false);
    }
}
