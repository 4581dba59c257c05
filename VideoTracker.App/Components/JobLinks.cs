namespace VideoTracker.App.Components;

/// <summary>
/// Every URL the browser uses to fetch a job's files. Kept in one place so that browser downloads can move
/// to another prefix (for example away from the API-key protected /v1) by changing only this class. Each is relative
/// to the page's base address (<c>Server:PathBase</c> and a <c>/</c>), so pages and their scripts work under a reverse
/// proxy's sub-path; the API gives them out from the host with <see cref="FromHost"/>.
/// </summary>
public static class JobLinks
{
    public const string UploadUrl = "ui/upload";

    public const string AntiforgeryUrl = "ui/antiforgery";

    /// <summary>A link as a path from the host, for API answers and redirects: <c>/v1/…</c>, or <c>/videotracker/v1/…</c> under that path base.</summary>
    public static string FromHost(HttpRequest request, string link) => $"{request.PathBase}/{link}";

    public static string Page(Guid jobId) => $"jobs/{jobId}";

    /// <summary>The New job form with the job's clip, tool and options, to run it again.</summary>
    public static string RunAgain(Guid jobId) => $"./?from={jobId}";

    public static string Export(Guid jobId, string format) => $"v1/jobs/{jobId}/export?format={Uri.EscapeDataString(format)}";

    /// <summary>Every export format, and the summary, tracks and events, in one ZIP.</summary>
    public static string ExportAll(Guid jobId) => $"v1/jobs/{jobId}/export/all";

    public static string Json(Guid jobId) => Export(jobId, "json");

    public static string Csv(Guid jobId) => Export(jobId, "csv");

    public static string Mot(Guid jobId) => Export(jobId, "mot");

    /// <summary>All detections of a completed job as one JSON document; the overlay player reads it.</summary>
    public static string Results(Guid jobId) => $"v1/video/results/{jobId}";

    /// <summary>A browser-playable H.264 MP4 of the original clip.</summary>
    public static string Preview(Guid jobId) => $"v1/jobs/{jobId}/preview";

    /// <summary>The annotated MP4, when the tool wrote one.</summary>
    public static string Annotated(Guid jobId) => $"v1/jobs/{jobId}/annotated";

    /// <summary>A JPEG crop of a track at its most confident box.</summary>
    public static string TrackThumbnail(Guid jobId, int trackId) => $"v1/jobs/{jobId}/tracks/{trackId}/thumbnail";

    /// <summary>The event log and counts of a counting job (JSON).</summary>
    public static string Events(Guid jobId) => $"v1/jobs/{jobId}/events";

    public static string EventsCsv(Guid jobId) => $"v1/jobs/{jobId}/events?format=csv";

    /// <summary>The heatmap PNG of a counting job.</summary>
    public static string Heatmap(Guid jobId) => $"v1/jobs/{jobId}/heatmap";
}
