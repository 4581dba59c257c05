using VideoTracker.Core.Export;

namespace VideoTracker.Tests.Export;

/// <summary>Each format's name, content type and download file name, as clients have always seen them.</summary>
public sealed class ExporterNamesTests
{
    public static TheoryData<IResultExporter, string, string, string> Formats => new()
    {
        { new JsonExporter(), "json", "application/json; charset=utf-8", "results-{0}.json" },
        { new CsvExporter(), "csv", "text/csv; charset=utf-8", "detections-{0}.csv" },
        { new MotExporter(), "mot", "text/plain; charset=utf-8", "mot-{0}.txt" },
        { new CocoExporter(), "coco", "application/json; charset=utf-8", "coco-{0}.json" },
        { new CvatExporter(), "cvat", "application/xml; charset=utf-8", "cvat-{0}.xml" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Exporter_Format_HasItsNameContentTypeAndFileName(IResultExporter exporter, string format, string contentType, string fileName)
    {
        var jobId = Guid.NewGuid();

        Assert.Equal(format, exporter.Format);
        Assert.Equal(contentType, exporter.ContentType);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, fileName, jobId.ToString("N")), exporter.FileName(jobId));
    }
}
