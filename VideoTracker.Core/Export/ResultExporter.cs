using System.Text;

namespace VideoTracker.Core.Export;

/// <summary>
/// The usual <see cref="IResultExporter"/>: a format name, a content type and a download named
/// <c>{fileStem}-{job id}.{extension}</c>. A format writes only its body.
/// </summary>
public abstract class ResultExporter(string format, string contentType, string fileStem, string extension) : IResultExporter
{
    public string Format => format;

    public string ContentType => contentType;

    public string FileName(Guid jobId) => $"{fileStem}-{jobId:N}.{extension}";

    public Task WriteAsync(JobResults results, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        return WriteBodyAsync(results, output, cancellationToken);
    }

    protected abstract Task WriteBodyAsync(JobResults results, Stream output, CancellationToken cancellationToken);
}

/// <summary>
/// A text export with one line a detection, in frame order, after an optional header line: UTF-8 without a byte
/// order mark, <c>\n</c> line ends. A format gives only its header and how one detection reads.
/// </summary>
public abstract class DetectionLinesExporter(string format, string contentType, string fileStem, string extension)
    : ResultExporter(format, contentType, fileStem, extension)
{
    /// <summary>The first line, or null for none.</summary>
    protected virtual string? HeaderLine => null;

    /// <summary>The line of detection <paramref name="d"/> in <paramref name="frame"/>.</summary>
    protected abstract string Line(FrameDetections frame, DetectedObject d);

    protected sealed override async Task WriteBodyAsync(JobResults results, Stream output, CancellationToken cancellationToken)
    {
        var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        await using (writer.ConfigureAwait(false))
        {
            if (HeaderLine is { } header)
            {
                await writer.WriteLineAsync(header).ConfigureAwait(false);
            }

            await foreach (var frame in ResultsReader.ReadFramesAsync(results.Directory, cancellationToken).ConfigureAwait(false))
            {
                foreach (var detection in frame.Detections)
                {
                    await writer.WriteLineAsync(Line(frame, detection)).ConfigureAwait(false);
                }
            }
        }
    }
}
