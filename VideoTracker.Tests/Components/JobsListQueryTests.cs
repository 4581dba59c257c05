using VideoTracker.App.Components.Pages.Jobs;

namespace VideoTracker.Tests.Components;

/// <summary>The jobs list's address: what it reads from a link, and what it writes back.</summary>
public sealed class JobsListQueryTests
{
    [Fact]
    public void Parse_TheListsOwnValues_RoundTripsThroughTheAddress()
    {
        var query = JobsListQuery.Parse("3", "50", "FAILED", "match day");

        Assert.Equal(new JobsListQuery(2, 50, "failed", "match day"), query);
        Assert.Equal(JobStatus.Failed, query.Filter.Status);
        Assert.Equal(new Dictionary<string, object?> { ["page"] = 3, ["size"] = 50, ["status"] = "failed", ["search"] = "match day" }, query.ToParameters());
    }

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData("0", "7", "done", "   ")]
    [InlineData("-2", "20", "all", "")]
    [InlineData("two", "1e3", " ", null)]
    [InlineData("99999999999", "100000", "ALL", null)]
    public void Parse_MissingOrNotUnderstoodValues_TakeTheirDefaultsAndLeaveTheAddress(string? page, string? size, string? status, string? search)
    {
        var query = JobsListQuery.Parse(page, size, status, search);

        Assert.Equal(JobsListQuery.Default, query);
        Assert.All(query.ToParameters().Values, Assert.Null);
    }

    [Fact]
    public void Parse_AHugePageOrALongSearch_IsCutToWhatTheListTakes()
    {
        var query = JobsListQuery.Parse("5000000", null, null, new string('x', JobListFilter.MaxSearchLength + 5));

        Assert.Equal(JobsListQuery.MaxPage - 1, query.PageIndex);
        Assert.Equal(JobListFilter.MaxSearchLength, query.Search?.Length);
    }
}
