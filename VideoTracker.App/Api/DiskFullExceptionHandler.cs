using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using VideoTracker.Core.Storage;

namespace VideoTracker.App.Api;

/// <summary>
/// Any request that fails because the disk is full answers 507 with a detail that says so, instead of a 500.
/// The upload path answers the same status itself (and removes what it had written); this covers the rest.
/// </summary>
internal sealed class DiskFullExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DiskFull.Is(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status507InsufficientStorage;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status507InsufficientStorage, Detail = DiskFull.GeneralDetail },
        }).ConfigureAwait(false);
    }
}
