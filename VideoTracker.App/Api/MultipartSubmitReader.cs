using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using VideoTracker.Core.Jobs;
using VideoTracker.Core.Storage;

namespace VideoTracker.App.Api;

/// <summary>
/// What a multipart submit carried: the staged file (if any) and every text field; or why it was refused,
/// with <see cref="Refusal"/> set when that is not a plain bad request (too large, disk full).
/// </summary>
internal sealed record MultipartSubmit(StagedUpload? Upload, Dictionary<string, string?> Fields, string? Error, SubmitError? Refusal = null);

/// <summary>
/// Reads <c>multipart/form-data</c> section by section: the file streams straight to the staging folder
/// under the size limit, text fields are read into a dictionary. Nothing is buffered whole.
/// </summary>
internal static class MultipartSubmitReader
{
    public const string FileField = "file";
    private const int MaxFieldLength = 64 * 1024;

    public static async Task<MultipartSubmit> ReadAsync(HttpRequest request, JobSubmitter submitter, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return new MultipartSubmit(null, fields, "Expected a multipart/form-data body with a 'file' field.");
        }

        var reader = new MultipartReader(boundary, request.Body);
        StagedUpload? upload = null;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data"))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                if (disposition.IsFileDisposition())
                {
                    if (name != FileField)
                    {
                        return Fail(upload, fields, $"Unexpected file field '{name}': send the clip as 'file'.");
                    }

                    if (upload is not null)
                    {
                        return Fail(upload, fields, "Send exactly one file per job.");
                    }

                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value
                        ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    upload = await submitter.StageAsync(section.Body, fileName, cancellationToken).ConfigureAwait(false);
                    if (upload is null)
                    {
                        return new MultipartSubmit(null, fields, TooLargeDetail(submitter.MaxUploadBytes), SubmitError.TooLarge);
                    }

                    continue;
                }

                var value = await ReadFieldAsync(section.Body, cancellationToken).ConfigureAwait(false);
                if (value is null)
                {
                    return Fail(upload, fields, $"The field '{name}' is too long.");
                }

                fields[name] = value;
            }
        }
        catch (IOException ex) when (DiskFull.Is(ex))
        {
            // StageAsync has already removed its partial file.
            Discard(upload);
            return new MultipartSubmit(null, fields, DiskFull.RequestDetail, SubmitError.InsufficientStorage);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return Fail(upload, fields, "The multipart body is malformed or was cut off.");
        }
        catch
        {
            Discard(upload);
            throw;
        }

        return new MultipartSubmit(upload, fields, null);
    }

    /// <summary>A text field's value, or null when it is longer than <see cref="MaxFieldLength"/>.</summary>
    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        using var text = new StreamReader(body, Encoding.UTF8);
        var buffer = ArrayPool<char>.Shared.Rent(MaxFieldLength + 1);
        try
        {
            var length = await text.ReadBlockAsync(buffer.AsMemory(0, MaxFieldLength + 1), cancellationToken).ConfigureAwait(false);
            return length > MaxFieldLength ? null : new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    public static string TooLargeDetail(long maxBytes) =>
        $"The file is larger than the upload limit of {FormatBytes(maxBytes)}.";

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} bytes",
    };

    private static MultipartSubmit Fail(StagedUpload? upload, Dictionary<string, string?> fields, string error)
    {
        Discard(upload);
        return new MultipartSubmit(null, fields, error);
    }

    private static void Discard(StagedUpload? upload)
    {
        if (upload is not null)
        {
            JobSubmitter.Discard(upload.Path);
        }
    }
}
