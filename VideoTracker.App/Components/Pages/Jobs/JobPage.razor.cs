using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using MudBlazor;
using VideoTracker.App.Components.Services;

namespace VideoTracker.App.Components.Pages.Jobs;

/// <summary>
/// One job, live. A <see cref="Shared.PollingTimer"/> asks the scoped <see cref="IJobService"/> every 2 seconds
/// until the job reaches a terminal state; a failed poll shows a quiet warning and the next tick tries again.
/// </summary>
public sealed partial class JobPage
{
    private List<BreadcrumbItem> _breadcrumbs = [];
    private Guid _jobId;
    private JobView? _view;
    private JobResultsView? _results;
    private string? _resultsError;
    private string? _warning;
    private bool _notFound;
    private bool _canSubmit;

    [Parameter] public string JobIdText { get; set; } = string.Empty;

    [Inject] private IJobService Jobs { get; set; } = default!;

    [Inject] private ILogger<JobPage> Logger { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The request, while the page is prerendered on the server; null once it runs in its circuit.</summary>
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    /// <summary>Polls while the job can still change, or while its first load or its results have not come through.</summary>
    internal bool PollingEnabled => !_notFound
        && (_view is null || !_view.Status.IsTerminal() || (_view.Status == JobStatus.Completed && _results is null && _resultsError is null));

    private string Title => _view is null ? "Job" : $"{_view.Job.OriginalFileName} ({_view.Status.ToWire()})";

    protected override async Task OnInitializedAsync() => _canSubmit = await Jobs.CanSubmitAsync();

    protected override async Task OnParametersSetAsync()
    {
        _breadcrumbs = [new("Jobs", "jobs"), new(JobIdText, null, disabled: true)];
        _view = null;
        _results = null;
        _resultsError = null;
        _warning = null;
        _notFound = !Guid.TryParse(JobIdText, out _jobId);
        if (!_notFound)
        {
            await RefreshAsync();
        }

        // A missing, deleted or hidden job says so on the page, and to the browser and crawlers with a 404.
        if (_notFound)
        {
            HttpContext.AnswerNotFound();
        }
    }

    /// <summary>One poll. Never throws: a transient failure becomes a warning until a later poll succeeds.</summary>
    internal async Task RefreshAsync()
    {
        try
        {
            var view = await Jobs.GetJobAsync(_jobId);
            if (view is null)
            {
                _notFound = true;
                return;
            }

            _view = view;
            _warning = null;
            if (view.Status == JobStatus.Completed && _results is null)
            {
                _results = await Jobs.GetResultsAsync(view.Job);
                _resultsError = _results is null ? "The results of this job are missing on the server." : null;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.PollFailed(Logger, _jobId, ex);
            _warning = "Could not refresh the job just now; still trying every 2 seconds…";
        }
    }

    /// <summary>After a cancel, show the new state at once; after a delete, go back to the list.</summary>
    private async Task OnJobChangedAsync(JobControlOutcome outcome)
    {
        if (outcome is JobControlOutcome.Deleted)
        {
            Navigation.NavigateTo("jobs");
            return;
        }

        await RefreshAsync();
    }

    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Warning, "Polling job {JobId} failed; retrying on the next tick")]
        public static partial void PollFailed(ILogger logger, Guid jobId, Exception exception);
    }
}
