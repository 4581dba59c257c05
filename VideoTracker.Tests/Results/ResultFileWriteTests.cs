using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Results;

/// <summary>A results file written beside and moved into place leaves nothing behind when the write stops short.</summary>
public sealed class ResultFileWriteTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task TrackTableWrite_Cancelled_LeavesNoPartFileAndNoTable()
    {
        using var table = new TrackTableBuilder();
        table.Add(0, 0, [new DetectedObject(10, 10, 20, 20, 0.9f, 0, "person", 1)]);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => table.WriteAsync(_temp.Path, cancelled.Token));

        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task SeriesSave_Cancelled_LeavesNoPartFileAndNoSeries()
    {
        var series = new DetectionSeries();
        series.Add(0, [new DetectedObject(10, 10, 20, 20, 0.9f, 0, "person", null)]);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => series.SaveAsync(_temp.Path, cancelled.Token));

        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    public void Dispose() => _temp.Dispose();
}
