namespace VideoTracker.App.Components.Pages.Jobs;

/// <summary>
/// What the jobs list shows, as its address keeps it (<c>/jobs?page=2&amp;size=50&amp;status=failed&amp;search=match</c>), so a
/// reload, Back or a shared link shows the same list. A value at its default is left out of the address.
/// </summary>
public sealed record JobsListQuery(int PageIndex, int PageSize, string Status, string? Search)
{
    public const string AllStatuses = "all";
    public const int DefaultPageSize = 20;

    /// <summary>The highest page number taken: far beyond any list, and small enough that its offset stays a number.</summary>
    public const int MaxPage = 1_000_000;

    public static IReadOnlyList<int> PageSizes { get; } = [10, 20, 50, 100];

    public static JobsListQuery Default { get; } = new(0, DefaultPageSize, AllStatuses, null);

    /// <summary>The filter the job service lists by.</summary>
    public JobListFilter Filter => new(JobStatusExtensions.TryParseWire(Status, out var status) ? status : null, Search);

    /// <summary>Reads the address's values; one that is missing or not understood takes its default.</summary>
    public static JobsListQuery Parse(string? page, string? size, string? status, string? search) => new(
        int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? Math.Min(p, MaxPage) - 1 : 0,
        int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && PageSizes.Contains(s) ? s : DefaultPageSize,
        JobStatusExtensions.TryParseWire(status, out var wire) ? wire.ToWire() : AllStatuses,
        SearchOf(search));

    /// <summary>The search as the list keeps it: none when blank, cut at <see cref="JobListFilter.MaxSearchLength"/>.</summary>
    public static string? SearchOf(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Length > JobListFilter.MaxSearchLength ? text[..JobListFilter.MaxSearchLength] : text;

    /// <summary>The address's query parameters; null (left out) for each at its default.</summary>
    public IReadOnlyDictionary<string, object?> ToParameters() => new Dictionary<string, object?>
    {
        ["page"] = PageIndex > 0 ? PageIndex + 1 : null,
        ["size"] = PageSize != DefaultPageSize ? PageSize : null,
        ["status"] = Status != AllStatuses ? Status : null,
        ["search"] = Search,
    };
}
