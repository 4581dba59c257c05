using VideoTracker.App.Api;

namespace VideoTracker.App.Accounts;

/// <summary>
/// Who may see and change which job. Admins see and change all. With <c>Auth:JobVisibility=own</c> others see
/// only their own jobs; everything else answers as if the job did not exist. Members change only their own;
/// jobs without an owner (from before accounts) only admins change.
/// </summary>
public sealed class JobAccess(IOptions<AuthOptions> options)
{
    /// <summary>True when <paramref name="user"/> may see every job, so there is no need to read a job's owner.</summary>
    public bool SeesEveryJob(ClaimsPrincipal user) => !options.Value.OwnJobsOnly || user.IsAdmin();

    public bool CanSee(ClaimsPrincipal user, VideoJob job) =>
        SeesEveryJob(user) || (job.Owner is not null && job.Owner == user.UserName());

    public bool CanChange(ClaimsPrincipal user, VideoJob job) =>
        user.IsAdmin() || (user.IsInRole(Core.Accounts.AppRoles.Member) && job.Owner is not null && job.Owner == user.UserName());

    /// <summary>The owner a job list is limited to, or null when the user sees every job.</summary>
    public JobOwnerFilter? ListFilter(ClaimsPrincipal user) =>
        !options.Value.OwnJobsOnly || user.IsAdmin() ? null : new JobOwnerFilter(user.UserName() ?? string.Empty);
}

/// <summary>Marks an endpoint that changes a job: only its owner or an admin may call it.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ChangesJobAttribute : Attribute;

/// <summary>
/// On every route with a <c>{jobId}</c>: a job the caller may not see answers 404, and a job the caller may
/// not change answers 403 on routes marked <see cref="ChangesJobAttribute"/>. Malformed and unknown ids go
/// on to the handler, which answers them as before.
/// </summary>
public sealed class JobAccessFilter(JobStore store, JobAccess access) : IEndpointFilter
{
    public const string RouteValue = "jobId";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var changes = http.GetEndpoint()?.Metadata.GetMetadata<ChangesJobAttribute>() is not null;

        // Reading a job that the caller may see whoever owns it: no need to load it here (the status poll's case).
        if (!changes && access.SeesEveryJob(http.User))
        {
            return await next(context).ConfigureAwait(false);
        }

        if (http.Request.RouteValues.TryGetValue(RouteValue, out var raw) && Guid.TryParse(raw?.ToString(), out var jobId)
            && await store.FindAsync(jobId, http.RequestAborted).ConfigureAwait(false) is { } job)
        {
            if (!access.CanSee(http.User, job))
            {
                return ApiErrors.JobNotFound();
            }

            if (changes && !access.CanChange(http.User, job))
            {
                return ApiErrors.Forbidden(job.Owner is null
                    ? "This job has no owner (it came from the service key, or from before accounts existed): only an admin may change it."
                    : "Only the job's owner or an admin may change it.");
            }
        }

        return await next(context).ConfigureAwait(false);
    }
}
