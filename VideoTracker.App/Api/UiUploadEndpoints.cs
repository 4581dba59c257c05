using Microsoft.AspNetCore.Antiforgery;
using VideoTracker.App.Accounts;

namespace VideoTracker.App.Api;

/// <summary>
/// The web UI's upload path. The browser posts the file here with XMLHttpRequest (wwwroot/js/upload.js)
/// so large files stream over plain HTTP, not the SignalR circuit. It needs the signed-in member's cookie and
/// an antiforgery token, and stores the file through the same <see cref="JobSubmitter"/> as <c>POST /v1/video/submit</c>.
/// </summary>
public static class UiUploadEndpoints
{
    public static IEndpointRouteBuilder MapUiUpload(this IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup("/ui").ExcludeFromDescription();
        ui.MapGet("/antiforgery", Token).WithName("UiAntiforgeryToken");

        // Validated by hand below, from the request header only, so the multipart body is never buffered as a form.
        ui.MapPost("/upload", Upload).WithName("UiUpload").DisableAntiforgery().RequireAuthorization(AuthNames.MemberPolicy);
        return app;
    }

    internal sealed record AntiforgeryTokenDto(string HeaderName, string Token);

    /// <summary>Sets the antiforgery cookie and returns the matching request token for the upload header.</summary>
    internal static Ok<AntiforgeryTokenDto> Token(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Headers.CacheControl = "no-store";
        // AntiforgeryOptions names a header by default (RequestVerificationToken); GetAndStoreTokens always makes a token.
        var header = tokens.HeaderName ?? throw new InvalidOperationException("The antiforgery options name no header, so the upload page could not send its token.");
        var token = tokens.RequestToken ?? throw new InvalidOperationException("Antiforgery made no request token.");
        return TypedResults.Ok(new AntiforgeryTokenDto(header, token));
    }

    internal static async Task<Results<Accepted<SubmitAcceptedDto>, ProblemHttpResult>> Upload(
        HttpContext context, IAntiforgery antiforgery, IOptions<AntiforgeryOptions> antiforgeryOptions, JobSubmitter submitter, AuditLog audit, CancellationToken cancellationToken)
    {
        var header = antiforgeryOptions.Value.HeaderName;
        if (header is null || !context.Request.Headers.ContainsKey(header) || !await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return ApiErrors.FromSubmit(SubmitError.ExpiredForm, "The antiforgery token is missing or invalid. Reload the page and upload again.", withKind: true);
        }

        return (await VideoEndpoints.SubmitAsync(context, submitter, audit, cancellationToken).ConfigureAwait(false)).Match<Results<Accepted<SubmitAcceptedDto>, ProblemHttpResult>>(
            a => VideoEndpoints.Accepted(context.Request, a.Job),
            r => VideoEndpoints.Refused(context, r, withKind: true));
    }
}
