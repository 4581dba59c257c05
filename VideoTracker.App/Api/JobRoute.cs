using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using VideoTracker.App.Accounts;

namespace VideoTracker.App.Api;

/// <summary>
/// The <c>{jobId}</c> of a job route, parsed once when the route binds (and documented in OpenAPI as the path
/// parameter it is). Binding never fails here: <see cref="JobIdFilter"/>, on every route, answers a
/// malformed one with our own 400 detail before the handler runs, so a handler always sees a real GUID.
/// </summary>
public readonly record struct JobRouteId(Guid Value, bool IsValid) : IParsable<JobRouteId>
{
    public static JobRouteId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) && id.IsValid
        ? id
        : throw new FormatException($"'{s}' is not a job id.");

    public static bool TryParse(string? s, IFormatProvider? provider, out JobRouteId result)
    {
        result = Guid.TryParse(s, out var id) ? new JobRouteId(id, true) : default;
        return true; // a malformed id is answered by JobIdFilter, with the detail the API has always given
    }

    internal static string Raw(HttpContext context) => context.Request.RouteValues[JobAccessFilter.RouteValue]?.ToString() ?? string.Empty;
}

/// <summary>
/// The one place a malformed job id becomes <c>400 {"detail": "'…' is not a valid job id: …"}</c>. It runs on every
/// route before any other check of the request's values, so a malformed id is answered first whatever else is wrong.
/// </summary>
public sealed class JobIdFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return Malformed(context.HttpContext.Request.RouteValues) is { } raw
            ? ValueTask.FromResult<object?>(ApiErrors.InvalidJobId(raw))
            : next(context);
    }

    /// <summary>The route's <c>{jobId}</c> when there is one and it is not a GUID; else null.</summary>
    internal static string? Malformed(RouteValueDictionary? routeValues) =>
        routeValues is not null && routeValues.TryGetValue(JobAccessFilter.RouteValue, out var raw) && !Guid.TryParse(raw?.ToString(), out _)
            ? raw?.ToString() ?? string.Empty
            : null;
}

/// <summary>A completed job and its results folder.</summary>
internal sealed record CompletedJob(VideoJob Job, string Directory);

/// <summary>A job (or its results) looked up for a route: found, or the problem that says why not.</summary>
internal abstract record JobLookup<T>
    where T : class
{
    private JobLookup()
    {
    }

    public sealed record Found(T Value) : JobLookup<T>;

    public sealed record Refused(ProblemHttpResult Problem) : JobLookup<T>;

    /// <summary>False with the value, or true with the problem to answer: the compiler tracks which is set.</summary>
    public bool Failed([NotNullWhen(true)] out ProblemHttpResult? problem, [NotNullWhen(false)] out T? value)
    {
        (problem, value) = this switch
        {
            Found found => ((ProblemHttpResult?)null, found.Value),
            Refused refused => (refused.Problem, null),
            _ => throw new UnreachableException(),
        };
        return problem is not null;
    }
}

internal static class JobLookups
{
    /// <summary>The job, or 404.</summary>
    public static async Task<JobLookup<VideoJob>> FindAsync(JobRouteId jobId, JobStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(jobId.Value, cancellationToken).ConfigureAwait(false) is { } job
            ? new JobLookup<VideoJob>.Found(job)
            : new JobLookup<VideoJob>.Refused(ApiErrors.JobNotFound());

    /// <summary>The completed job and its results folder, or the 404/409 that explains why there are none.</summary>
    public static async Task<JobLookup<CompletedJob>> CompletedAsync(JobRouteId jobId, JobStore store, JobFiles files, CancellationToken cancellationToken)
    {
        if ((await FindAsync(jobId, store, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var job))
        {
            return new JobLookup<CompletedJob>.Refused(problem);
        }

        if (job.Status != JobStatus.Completed)
        {
            return new JobLookup<CompletedJob>.Refused(
                ApiErrors.Conflict(
                    job.Status.IsTerminal()
                        ? $"The job ended as {job.Status.ToWire()}, so it has no results."
                        : $"The job is {job.Status.ToWire()}: results are available once it is completed.",
                    job.Status));
        }

        return files.ExistingResults(job) is { } directory
            ? new JobLookup<CompletedJob>.Found(new CompletedJob(job, directory))
            : new JobLookup<CompletedJob>.Refused(ApiErrors.NotFound("The results of this job are missing on the server."));
    }
}
