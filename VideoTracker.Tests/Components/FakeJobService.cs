using VideoTracker.Core.Evaluation;
using VideoTracker.Core.Webhooks;

namespace VideoTracker.Tests.Components;

/// <summary>A job service whose answers the test scripts, one per poll; it counts the polls.</summary>
public sealed class FakeJobService : IJobService
{
    private readonly Queue<Func<JobView?>> _answers = new();
    private Func<JobView?>? _last;

    public int Polls { get; private set; }

    public JobResultsView? Results { get; set; } = new(
        new ResultSummary(40, 40, 37, 0, new Dictionary<string, int> { ["motion"] = 37 }, 2, 40, false, null),
        [new TimelinePoint(0, 0), new TimelinePoint(1, 1), new TimelinePoint(2, 1)]);

    public long MaxUploadBytes { get; set; } = 1 << 30;

    public IReadOnlyList<IVideoPlugin> Plugins { get; set; } = [];

    public IReadOnlyList<string> Devices { get; set; } = ["cpu"];

    /// <summary>Queues the next answers; the last one repeats.</summary>
    public FakeJobService Then(params JobView[] views)
    {
        foreach (var view in views)
        {
            _answers.Enqueue(() => view);
        }

        return this;
    }

    public FakeJobService ThenThrow(Exception exception)
    {
        _answers.Enqueue(() => throw exception);
        return this;
    }

    public Task<JobView?> GetJobAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        Polls++;
        if (_answers.TryDequeue(out var next))
        {
            _last = next;
        }

        return Task.FromResult(_last!());
    }

    /// <summary>Answers to the jobs list, one per load; the last one repeats.</summary>
    public Queue<JobView[]> Lists { get; } = new();

    public int ListLoads { get; private set; }

    public List<JobListFilter> ListFilters { get; } = [];

    private JobView[] _lastList = [];

    public Task<JobViewSlice> ListJobsAsync(JobListFilter filter, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        ListLoads++;
        ListFilters.Add(filter);
        if (Lists.TryDequeue(out var next))
        {
            _lastList = next;
        }

        return Task.FromResult(new JobViewSlice(_lastList, _lastList.Length));
    }

    public PreviewState Preview { get; set; } = new PreviewState.NotStarted();

    public PreviewState GetPreviewState(Guid jobId) => Preview;

    /// <summary>What <see cref="Preview"/> becomes when a page starts the preview (unchanged when null).</summary>
    public PreviewState? StartedPreview { get; set; }

    public List<Guid> PreviewStarts { get; } = [];

    public Task<PreviewState> StartPreviewAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        PreviewStarts.Add(jobId);
        Preview = StartedPreview ?? Preview;
        return Task.FromResult(Preview);
    }

    public Task<JobResultsView?> GetResultsAsync(VideoJob job, CancellationToken cancellationToken = default) => Task.FromResult(Results);

    public IReadOnlyList<TrackRow>? Tracks { get; set; }

    public EvaluationResult Evaluation { get; set; } = new EvaluationResult.NoTracks("none");

    /// <summary>The ground truth texts and settings the page sent.</summary>
    public List<(string Text, EvaluationSettings Settings)> Evaluations { get; } = [];

    public CountingSettings? Counting { get; set; }

    public CountingSettings? GetCounting(VideoJob job) => Counting;

    public EventLog? Events { get; set; }

    public Task<EventLog?> GetEventsAsync(VideoJob job, CancellationToken cancellationToken = default) => Task.FromResult(Events);

    public List<WebhookDelivery> Deliveries { get; } = [];

    /// <summary>Adds a delivery of the job <see cref="Id"/>, created now, and returns it for the test to change.</summary>
    public WebhookDelivery AddDelivery(string url, WebhookDeliveryStatus status, int attempts, int lastStatusCode)
    {
        var delivery = new WebhookDelivery
        {
            DeliveryId = Guid.NewGuid(),
            JobId = Id,
            Url = url,
            Status = status,
            Attempts = attempts,
            LastStatusCode = lastStatusCode,
            CreatedAt = DateTime.UtcNow,
        };
        Deliveries.Add(delivery);
        return delivery;
    }

    public Task<IReadOnlyList<WebhookDeliveryView>> GetWebhookDeliveriesAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<WebhookDeliveryView>>([.. Deliveries.Select(d => WebhookDeliveryView.Of(d, serverWide: false, admin: true))]);

    /// <summary>Thrown by <see cref="GetTracksAsync"/> when set, as building an older job's table throws in a folder it may not write.</summary>
    public Exception? TracksFailure { get; set; }

    public Task<IReadOnlyList<TrackRow>?> GetTracksAsync(VideoJob job, CancellationToken cancellationToken = default) =>
        TracksFailure is { } failure ? Task.FromException<IReadOnlyList<TrackRow>?>(failure) : Task.FromResult(Tracks);

    public async Task<EvaluationResult> EvaluateAsync(VideoJob job, Stream groundTruth, EvaluationSettings settings, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(groundTruth);
        Evaluations.Add((await reader.ReadToEndAsync(cancellationToken), settings));
        return Evaluation;
    }

    /// <summary>What the signed-in user may do; a member who owns every job by default.</summary>
    public bool CanSubmit { get; set; } = true;

    public bool CanChange { get; set; } = true;

    public Task<bool> CanSubmitAsync() => Task.FromResult(CanSubmit);

    public Task<bool> CanChangeAsync(VideoJob job) => Task.FromResult(CanChange);

    /// <summary>The answer to "run again", which the test completes when it likes.</summary>
    public TaskCompletionSource<SubmitResult> Rerun { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<SubmitResult> RerunAsync(Guid jobId, RerunCommand command, CancellationToken cancellationToken = default) => Rerun.Task;

    public SubmitResult.Refused? ValidateSubmission(string? pluginId, string? tool, string? device, IReadOnlyDictionary<string, string?> options) => null;

    /// <summary>The cancel and delete calls made, in order.</summary>
    public List<string> Controls { get; } = [];

    public Task<JobControlOutcome> CancelAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        Controls.Add($"cancel {jobId}");
        return Task.FromResult<JobControlOutcome>(new JobControlOutcome.Cancelled(JobStatus.Cancelled));
    }

    public Task<JobControlOutcome> DeleteAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        Controls.Add($"delete {jobId}");
        return Task.FromResult<JobControlOutcome>(new JobControlOutcome.Deleted());
    }

    public static JobView Job(JobStatus status, int? progress, int? frame = null, int? total = null, double? fps = null, double? eta = null, int? queue = null, string? error = null) =>
        new(
            new VideoJob
            {
                JobId = Id,
                PluginId = "opencv-classic",
                Tool = "video_motion_detection",
                Status = status,
                Progress = progress,
                OriginalFileName = "street.avi",
                StoredFilePath = "jobs/x/input.avi",
                FileSizeBytes = 1234,
                Error = error,
                CreatedAt = new DateTime(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc),
            },
            frame, total, fps, eta, queue);

    public static Guid Id { get; } = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
}
