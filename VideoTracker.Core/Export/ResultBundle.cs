using System.IO.Compression;
using System.IO.Pipelines;
using VideoTracker.Core.Counting;
using VideoTracker.Core.Results;
using VideoTracker.Core.Tracking;

namespace VideoTracker.Core.Export;

/// <summary>
/// A completed job's downloads in one ZIP (<c>GET /v1/jobs/{id}/export/all</c>): every registered export format, then
/// the results' summary, track table and event log when the job has them. The archive is written to the response
/// as each entry is produced, so it is never whole in memory.
/// </summary>
public sealed class ResultBundle(ResultExporters exporters)
{
    public const string ContentType = "application/zip";

    public static string FileName(Guid jobId) => $"results-{jobId:N}.zip";

    /// <summary>The results files that go into the bundle as they are, when the job has them.</summary>
    private static IEnumerable<string> StoredFiles(string resultsDirectory) =>
        new[] { ResultFiles.SummaryPath(resultsDirectory), ResultFiles.TracksPath(resultsDirectory), EventLogFile.EventsPath(resultsDirectory) }
            .Where(File.Exists);

    /// <summary>
    /// Streams the archive to <paramref name="output"/>. <see cref="ZipArchive"/> writes part of its framing
    /// synchronously, which a response body refuses, so the archive is written into a bounded pipe on a worker and
    /// copied from it asynchronously: at most about 1 MiB is held at a time.
    /// </summary>
    public async Task WriteAsync(JobResults results, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        var writer = Task.Run(
            async () =>
            {
                try
                {
                    await WriteArchiveAsync(results, pipe.Writer.AsStream(leaveOpen: true), cancellationToken).ConfigureAwait(false);
                    await pipe.Writer.CompleteAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    await pipe.Writer.CompleteAsync(ex).ConfigureAwait(false);
                }
            },
            CancellationToken.None);
        try
        {
            await pipe.Reader.AsStream(leaveOpen: true).CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // When the copy ended early (the client went away, which also cancels the token the exporters watch),
            // the writer is not left waiting for room in the pipe; it is awaited, so nothing outlives the request.
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
        }
    }

    private async Task WriteArchiveAsync(JobResults results, Stream output, CancellationToken cancellationToken)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var exporter in exporters.All)
        {
            var entry = await OpenEntryAsync(zip, exporter.FileName(results.Job.JobId), cancellationToken).ConfigureAwait(false);
            await using (entry.ConfigureAwait(false))
            {
                await exporter.WriteAsync(results, entry, cancellationToken).ConfigureAwait(false);
            }
        }

        // A tracking job from before track tables gets its table now, as GET /tracks would build it.
        await TrackTableBuilder.ReadOrBuildAsync(results.Directory, cancellationToken).ConfigureAwait(false);
        foreach (var path in StoredFiles(results.Directory))
        {
            var entry = await OpenEntryAsync(zip, Path.GetFileName(path), cancellationToken).ConfigureAwait(false);
            await using (entry.ConfigureAwait(false))
            {
                var file = File.OpenRead(path);
                await using (file.ConfigureAwait(false))
                {
                    await file.CopyToAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static Task<Stream> OpenEntryAsync(ZipArchive zip, string name, CancellationToken cancellationToken) =>
        zip.CreateEntry(name, CompressionLevel.Fastest).OpenAsync(cancellationToken);
}
