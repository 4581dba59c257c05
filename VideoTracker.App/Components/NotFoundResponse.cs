namespace VideoTracker.App.Components;

/// <summary>
/// A page that answers 404 with its own content (a job that is not there, an address with no page). .NET 10 sends no
/// body at all when a page sets 404 while it renders on the server, unless the request is a status code page's
/// re-execution, so the status is set as the response starts, once the page has rendered.
/// </summary>
public static class NotFoundResponse
{
    /// <summary>Makes the prerendered response a 404; nothing once the page runs in its circuit (no request then).</summary>
    public static void AnswerNotFound(this HttpContext? context)
    {
        if (context is { Response.HasStarted: false } http)
        {
            http.Response.OnStarting(() =>
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        }
    }
}
