using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using VideoTracker.Core.Storage;

namespace VideoTracker.App.Api;

/// <summary>What a multipart submit carried: the staged file and every text field, or why it was refused.</summary>
internal abstract record MultipartSubmit
{
    private MultipartSubmit()
    {
    }

    public sealed record Read(StagedUpload Upload, Dictionary<string, string?> Fields) : MultipartSubmit;

    public sealed record Refused(SubmitError Error, string Detail) : MultipartSubmit;
}

/// <summary>
/// Reads <c>multipart/form-data</c> section by section: the file streams straight to the staging folder
/// under the size limit, text fields are read into a dictionary. Nothing is buffered whole. The query
/// string's parameters are fields too, as ForgeSyte's client sends <c>plugin_id</c> and <c>tool</c> there.
/// A field may be given more than once only with the same value: which one was meant is not ours to guess.
/// </summary>
internal static class MultipartSubmitReader
{
    public const string FileField = "file";
    private const int MaxFieldLength = 64 * 1024;

    /// <summary>
    /// The file part's name as the user's file has it. Browsers and curl write a name's <c>"</c>, CR and LF as <c>%22</c>,
    /// <c>%0D</c> and <c>%0A</c> (the HTML standard's multipart/form-data encoding), so <c>say "hi".mp4</c> arrives as
    /// <c>say %22hi%22.mp4</c>; those three are turned back. A <c>filename*</c> is already decoded by its own rules.
    /// </summary>
    internal static string? FileName(ContentDispositionHeaderValue disposition) =>
        HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value
            ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value?
                .Replace("%22", "\"", StringComparison.Ordinal)
                .Replace("%0D", "\r", StringComparison.Ordinal)
                .Replace("%0A", "\n", StringComparison.Ordinal);

    public static async Task<MultipartSubmit> ReadAsync(HttpRequest request, JobSubmitter submitter, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return new MultipartSubmit.Refused(SubmitError.BadRequest, "Expected a multipart/form-data body with a 'file' field.");
        }

        foreach (var (name, values) in request.Query)
        {
            foreach (var value in values)
            {
                if (Add(fields, name, value) is { } repeated)
                {
                    return new MultipartSubmit.Refused(SubmitError.BadRequest, repeated);
                }
            }
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
                        return Fail(upload, $"Unexpected file field '{name}': send the clip as 'file'.");
                    }

                    if (upload is not null)
                    {
                        return Fail(upload, "Send exactly one file per job.");
                    }

                    upload = await submitter.StageAsync(section.Body, FileName(disposition), cancellationToken).ConfigureAwait(false);
                    if (upload is null)
                    {
                        return new MultipartSubmit.Refused(SubmitError.TooLarge, TooLargeDetail(submitter.MaxUploadBytes));
                    }

                    continue;
                }

                var value = await ReadFieldAsync(section.Body, cancellationToken).ConfigureAwait(false);
                if (value is null)
                {
                    return Fail(upload, $"The field '{name}' is too long.");
                }

                if (Add(fields, name, value) is { } repeated)
                {
                    return Fail(upload, repeated);
                }
            }
        }
        catch (IOException ex) when (DiskFull.Is(ex))
        {
            // StageAsync has already removed its partial file.
            Discard(upload);
            return new MultipartSubmit.Refused(SubmitError.InsufficientStorage, DiskFull.RequestDetail);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return Fail(upload, "The multipart body is malformed or was cut off.");
        }
        catch
        {
            Discard(upload);
            throw;
        }

        return upload is null
            ? new MultipartSubmit.Refused(SubmitError.BadRequest, "The field 'file' is required: attach the video as a multipart file named 'file'.")
            : new MultipartSubmit.Read(upload, fields);
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

    /// <summary>
    /// Adds a field, or says why not: it was given before with another value. A blank value means the same
    /// as none, so it neither conflicts with nor replaces a value given elsewhere.
    /// </summary>
    private static string? Add(Dictionary<string, string?> fields, string name, string? value)
    {
        if (!fields.TryGetValue(name, out var earlier) || string.IsNullOrWhiteSpace(earlier))
        {
            fields[name] = value;
            return null;
        }

        return string.IsNullOrWhiteSpace(value) || value.Trim() == earlier.Trim()
            ? null
            : $"The field '{name}' is given more than once, with different values: send it once.";
    }

    public static string TooLargeDetail(long maxBytes) =>
        $"The file is larger than the upload limit of {DisplayFormat.Bytes(maxBytes)}.";

    private static MultipartSubmit.Refused Fail(StagedUpload? upload, string error)
    {
        Discard(upload);
        return new MultipartSubmit.Refused(SubmitError.BadRequest, error);
    }

    private static void Discard(StagedUpload? upload)
    {
        if (upload is not null)
        {
            JobSubmitter.Discard(upload.Path);
        }
    }
}
