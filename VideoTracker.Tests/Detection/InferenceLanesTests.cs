using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Detection;

/// <summary>
/// <c>Detection:InferenceLanes</c> = 0 lets the app choose: a second lane only where every worker's two lanes
/// of intra-op threads fit the cores, so jobs sharing a node do not oversubscribe it.
/// </summary>
public sealed class InferenceLanesTests
{
    [Theory]
    [InlineData(2, 1, 1, 2)] // the 2-core default: one intra-op thread, one worker
    [InlineData(1, 1, 1, 1)] // one core has no room for a second frame
    [InlineData(2, 1, 2, 1)] // two workers already fill two cores
    [InlineData(8, 4, 1, 2)]
    [InlineData(8, 4, 2, 1)]
    [InlineData(16, 2, 4, 2)]
    [InlineData(16, 0, 1, 1)] // ONNX Runtime chooses its own threads and may take every core
    public void AutoLanes_GivesASecondLaneOnlyWhenTheCoresHoldIt(int cores, int intraOpThreads, int workers, int expected)
    {
        Assert.Equal(expected, DetectionOptions.AutoLanes(cores, intraOpThreads, workers));
    }

    [Fact]
    public void LanesFor_ASetValue_WinsOverTheAppsChoice()
    {
        var options = new DetectionOptions { InferenceLanes = 3, IntraOpThreads = 64 };

        Assert.Equal(3, options.LanesFor(workers: 64));
    }

    [Fact]
    public void DetectorSessions_FromTheContainer_ChoosesWithTheNodesWorkers()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(new DetectionOptions { IntraOpThreads = 1 }));
        services.AddSingleton(Options.Create(new JobsOptions { Workers = 64 }));
        services.AddSingleton<DetectorSessions>();
        using var provider = services.BuildServiceProvider();

        var lanes = provider.GetRequiredService<DetectorSessions>().InferenceLanes;
        var alone = new DetectorSessions(Options.Create(new DetectionOptions { IntraOpThreads = 1 }), NullLogger<DetectorSessions>.Instance).InferenceLanes;

        Assert.Equal(1, lanes);
        Assert.Equal(Environment.ProcessorCount >= 2 ? 2 : 1, alone);
    }
}
