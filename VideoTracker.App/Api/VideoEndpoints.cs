using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.Features;
using VideoTracker.App.Accounts;
using VideoTracker.App.Components;

namespace VideoTracker.App.Api;

public static class VideoEndpoints
{
    /// <summary>Room for multipart boundaries and text fields on top of the file itself.</summary>
    internal const long MultipartOverheadBytes = 1 << 20;

    public static IEndpointRouteBuilder MapVideoApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1/video").WithTags("Video");
        v1.MapPost("/submit", Submit).WithName("SubmitVideo").DisableAntiforgery().RequireAuthorization(AuthNames.MemberPolicy)
            .WithSummary("Upload a clip and start a job")
            .WithDescription("Multipart form: 'file' (required), 'plugin_id' and 'tool' (form fields or query), 'device' (default cpu), and tool options as further fields.")
            .AcceptsMultipart("The clip.", SubmitFieldDocs, "A tool option (see GET /v1/plugins/{pluginId}/manifest), or webhook_url.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable, StatusCodes.Status507InsufficientStorage);
        v1.MapGet("/status/{jobId}", GetStatus).WithName("GetVideoStatus").WithSummary("Status and progress of a job");
        v1.MapGet("/results/{jobId}", GetResults).WithName("GetVideoResults").WithSummary("Detections of a completed job, streamed; page with frame_offset and frame_limit, or a time window with from_ms and to_ms")
            .ProducesErrors(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>The submit's named fields, as the OpenAPI document shows them (tool options come as further fields).</summary>
    private static readonly Dictionary<string, (Microsoft.OpenApi.JsonSchemaType Type, string Description)> SubmitFieldDocs = new(StringComparer.Ordinal)
    {
        [SubmitFieldNames.PluginId] = (Microsoft.OpenApi.JsonSchemaType.String, "The plugin (also as a query parameter)."),
        [SubmitFieldNames.Tool] = (Microsoft.OpenApi.JsonSchemaType.String, "The plugin's tool (also as a query parameter)."),
        [SubmitFieldNames.Device] = (Microsoft.OpenApi.JsonSchemaType.String, "cpu (the default) or another device of GET /v1/plugins."),
    };

    internal static async Task<Results<Accepted<SubmitAcceptedDto>, ProblemHttpResult>> Submit(
        HttpContext context, JobSubmitter submitter, AuditLog audit, CancellationToken cancellationToken) =>
        (await SubmitAsync(context, submitter, audit, cancellationToken).ConfigureAwait(false)).Match<Results<Accepted<SubmitAcceptedDto>, ProblemHttpResult>>(
            a => Accepted(context.Request, a.Job),
            r => Refused(context, r, withKind: false));

    /// <summary>Streams the multipart body to staging, then submits it; shared by the API and the browser upload.</summary>
    internal static async Task<SubmitResult> SubmitAsync(
        HttpContext context, JobSubmitter submitter, AuditLog audit, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength is { } length && length > submitter.MaxUploadBytes + MultipartOverheadBytes)
        {
            return new SubmitResult.Refused(SubmitError.TooLarge, MultipartSubmitReader.TooLargeDetail(submitter.MaxUploadBytes));
        }

        if (submitter.CheckCapacity() is { } full)
        {
            return full;
        }

        // The limit is enforced while streaming, so Kestrel's own 30 MB cap must not cut in first.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = submitter.MaxUploadBytes + MultipartOverheadBytes;
        }

        var read = await MultipartSubmitReader.ReadAsync(request, submitter, cancellationToken).ConfigureAwait(false);
        if (read is MultipartSubmit.Refused refused)
        {
            return new SubmitResult.Refused(refused.Error, refused.Detail);
        }

        var form = (MultipartSubmit.Read)read;

        var options = form.Fields.Where(f => !SubmitFieldNames.IsReserved(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var command = new SubmitCommand(
            form.Upload,
            Field(form.Fields, SubmitFieldNames.PluginId),
            Field(form.Fields, SubmitFieldNames.Tool),
            Field(form.Fields, SubmitFieldNames.Device),
            options)
        {
            Owner = context.User.UserName(),
        };
        var result = await submitter.SubmitAsync(command, cancellationToken).ConfigureAwait(false);
        if (result is SubmitResult.Accepted { Job: var job })
        {
            await audit.RecordAsync(AuditActions.JobSubmitted, job.Owner, context.ClientAddress(), job.JobId, $"{job.PluginId}/{job.Tool}", CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    internal static Accepted<SubmitAcceptedDto> Accepted(HttpRequest request, VideoJob job) =>
        TypedResults.Accepted(JobLinks.FromHost(request, $"v1/video/status/{job.JobId}"), new SubmitAcceptedDto(job.JobId, job.Status.ToWire(), job.Progress));

    internal static async Task<Results<Ok<JobStatusDto>, ProblemHttpResult>> GetStatus(
        JobRouteId jobId, JobViews views, CancellationToken cancellationToken)
    {
        var status = await views.GetStatusAsync(jobId.Value, cancellationToken).ConfigureAwait(false);
        return status is null ? ApiErrors.JobNotFound() : TypedResults.Ok(JobStatusDto.From(status));
    }

    private const string FromMsRule = "from_ms must be a number of milliseconds ≥ 0.";
    private const string ToMsRule = "to_ms must be a number of milliseconds greater than from_ms.";

    internal static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> GetResults(
        JobRouteId jobId, JobStore store, JobFiles files, CancellationToken cancellationToken,
        [Range(0, int.MaxValue)] int? frame_offset = null,
        [Range(1, int.MaxValue)] int? frame_limit = null,
        [Range(0d, double.MaxValue, ErrorMessage = FromMsRule)] double? from_ms = null,
        [Range(0d, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = ToMsRule)] double? to_ms = null)
    {
        if (!TryParseTimeWindow(from_ms, to_ms, out var window, out var windowError))
        {
            return ApiErrors.BadRequest(windowError);
        }

        if (window is not null && frame_offset is not null)
        {
            return ApiErrors.BadRequest("frame_offset cannot be combined with from_ms/to_ms; page a time window with frame_limit.");
        }

        if ((await JobLookups.CompletedAsync(jobId, store, files, cancellationToken).ConfigureAwait(false)).Failed(out var problem, out var completed))
        {
            return problem;
        }

        var (job, directory) = completed;

        return TypedResults.Stream(
            body => Core.Results.ResultsReader.WriteDocumentAsync(body, job.JobId, job.PluginId, job.Tool, job.Status.ToWire(), job.CreatedAt, job.UpdatedAt, directory, frame_offset ?? 0, frame_limit, cancellationToken, window),
            "application/json");
    }

    /// <summary>from_ms (inclusive) and to_ms (exclusive), each optional and each within its range; null when neither is given.</summary>
    private static bool TryParseTimeWindow(double? from, double? to, out Core.Results.TimeWindow? window, [NotNullWhen(false)] out string? error)
    {
        window = null;
        error = to <= from ? ToMsRule : null;   // to_ms's range alone keeps it above 0, the start when from_ms is not given
        if (error is null && (from is not null || to is not null))
        {
            window = new Core.Results.TimeWindow(from ?? 0, to);
        }

        return error is null;
    }

    private static string? Field(Dictionary<string, string?> fields, string name) =>
        fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>
    /// A refused submit as ProblemDetails (see <see cref="ApiErrors.FromSubmit"/>); a full queue also tells the client when to retry.
    /// </summary>
    internal static ProblemHttpResult Refused(HttpContext context, SubmitResult.Refused refused, bool withKind)
    {
        if (refused.Error == SubmitError.QueueFull)
        {
            context.Response.Headers.RetryAfter = "10";
        }

        return ApiErrors.FromSubmit(refused.Error, refused.Detail, withKind, refused.Option?.Option);
    }
}
