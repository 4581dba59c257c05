using Microsoft.Extensions.Options;
using VideoTracker.Core.Detection;

namespace VideoTracker.Tests.Detection;

/// <summary>Where the model is: callers see only its file name, the operator's log the whole path.</summary>
public sealed class DetectionModelTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Create_ModelPathThatDoesNotExist_NamesTheFileToCallersAndLogsTheWholePath()
    {
        var missing = _temp.Combine("private-folder", "custom.onnx");
        var log = new ListLogger<DetectionModel>();

        var model = new DetectionModel(Options.Create(new DetectionOptions { ModelPath = missing, ModelUrl = string.Empty }), new DataPaths(_temp.Path), log);

        Assert.Equal("The model file set in Detection:ModelPath ('custom.onnx') does not exist.", model.Availability.Reason);
        Assert.Equal([$"Detection tools are unavailable: the model file set in Detection:ModelPath does not exist: {missing}"], log.Messages);
    }

    public void Dispose() => _temp.Dispose();
}
