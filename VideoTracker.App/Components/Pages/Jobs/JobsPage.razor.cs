using Microsoft.AspNetCore.Components;
using MudBlazor;
using VideoTracker.App.Components.Services;

namespace VideoTracker.App.Components.Pages.Jobs;

/// <summary>
/// Every job, a page at a time, filtered by status and a search. The address is where the page, its size, the status
/// and the search live (<see cref="JobsListQuery"/>): a change here replaces the address (so Back leaves the list rather
/// than stepping through each change), and an address that changes (a link, Back to here) changes the list.
/// </summary>
public sealed partial class JobsPage
{
    private MudTable<JobView>? _table;
    private JobsListQuery _query = JobsListQuery.Default;
    private bool _anyActive;
    private bool _canSubmit;
    private string? _warning;
    private TableData<JobView> _shown = new() { Items = [], TotalItems = 0 };

    [Inject] private IJobService Jobs { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private ILogger<JobsPage> Logger { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "page")] private string? PageInQuery { get; set; }

    [SupplyParameterFromQuery(Name = "size")] private string? SizeInQuery { get; set; }

    [SupplyParameterFromQuery(Name = "status")] private string? StatusInQuery { get; set; }

    [SupplyParameterFromQuery(Name = "search")] private string? SearchInQuery { get; set; }

    private static int[] PageSizes => [.. JobsListQuery.PageSizes];

    protected override async Task OnInitializedAsync() => _canSubmit = await Jobs.CanSubmitAsync();

    protected override Task OnParametersSetAsync() =>
        ShowAsync(JobsListQuery.Parse(PageInQuery, SizeInQuery, StatusInQuery, SearchInQuery));

    /// <summary>
    /// One page of the list. When it cannot be read (the database is away), the list keeps what it showed, says so, and
    /// the timer tries again every 2 seconds: the failure never ends the page's circuit.
    /// </summary>
    private async Task<TableData<JobView>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        JobViewSlice page;
        try
        {
            page = await Jobs.ListJobsAsync(_query.Filter, state.Page, state.PageSize, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ListFailed(Logger, ex);
            Show(_anyActive, "Could not load the jobs just now; still trying every 2 seconds…");
            return _shown;
        }

        Show(page.Jobs.Any(j => !j.Status.IsTerminal()), warning: null);
        _shown = new TableData<JobView> { Items = page.Jobs, TotalItems = page.Count };
        return _shown;
    }

    private void Show(bool active, string? warning)
    {
        if (active != _anyActive || warning != _warning)
        {
            // The table renders itself; the page re-renders so the timer starts or stops, and the warning shows or goes.
            (_anyActive, _warning) = (active, warning);
            StateHasChanged();
        }
    }

    private Task OnFilterChanged(string value) => ChangeAsync(_query with { Status = value, PageIndex = 0 });

    private Task OnSearchChanged(string? value) => ChangeAsync(_query with { Search = JobsListQuery.SearchOf(value), PageIndex = 0 });

    // The table has moved (its pager, or back to the first page when the list got shorter): the address follows.
    private Task OnPageChanged(int pageIndex) => ChangeAsync(_query with { PageIndex = pageIndex });

    private Task OnPageSizeChanged(int pageSize) => ChangeAsync(_query with { PageSize = pageSize });

    /// <summary>Shows <paramref name="next"/> and keeps it in the address, in place of the entry the browser has.</summary>
    private async Task ChangeAsync(JobsListQuery next)
    {
        await ShowAsync(next);
        var uri = Navigation.GetUriWithQueryParameters(next.ToParameters());
        if (uri != Navigation.Uri)
        {
            Navigation.NavigateTo(uri, new NavigationOptions { ReplaceHistoryEntry = true });
        }
    }

    /// <summary>
    /// Lists by <paramref name="next"/>. A new page or page size reaches the table as its parameters when this page renders,
    /// and the table loads that page itself; a new filter on the same page is loaded here.
    /// </summary>
    private async Task ShowAsync(JobsListQuery next)
    {
        var samePage = next.PageIndex == _query.PageIndex && next.PageSize == _query.PageSize;
        var sameFilter = next.Status == _query.Status && next.Search == _query.Search;
        _query = next;
        if (samePage && !sameFilter && _table is not null)
        {
            await _table.ReloadServerData();
        }
    }

    private Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(3002, LogLevel.Warning, "Loading the jobs list failed; retrying every 2 seconds")]
        public static partial void ListFailed(ILogger logger, Exception exception);
    }
}
