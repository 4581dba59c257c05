using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;

namespace VideoTracker.Core.Detection;

/// <summary>A download that could not be used; the message says why.</summary>
public sealed class ModelDownloadException : Exception
{
    public ModelDownloadException(string message)
        : base(message)
    {
    }

    public ModelDownloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelDownloadException()
    {
    }
}

/// <summary>
/// Downloads a model file to a <c>.part</c> file beside its destination, logs progress, checks its sha256
/// when one is given, and only then moves it into place. A failed download leaves nothing behind.
/// </summary>
public sealed class ModelDownloader(HttpClient http, ILogger logger)
{
    /// <summary>Returns the sha256 (lower-case hex) of the file now at <paramref name="destination"/>.</summary>
    public async Task<string> DownloadAsync(Uri url, string destination, string? expectedSha256, IProgress<int?>? percent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var part = destination + ".part";
        var ok = false;
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            Log.DownloadStarted(logger, url.ToString(), destination);
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ModelDownloadException($"The server answered {(int)response.StatusCode} {response.ReasonPhrase} for {url}.");
            }

            var total = response.Content.Headers.ContentLength;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long received = 0;
            var lastPercent = -1;
            var lastLog = Stopwatch.StartNew();
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var file = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    int read;
                    while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        received += read;
                        int? p = total is > 0 ? (int)(received * 100 / total.Value) : null;
                        if ((p is { } now && now / 10 != lastPercent / 10) || lastLog.Elapsed > TimeSpan.FromSeconds(5))
                        {
                            lastPercent = p ?? lastPercent;
                            lastLog.Restart();
                            Log.DownloadProgress(logger, received, total, p);
                            percent?.Report(p);
                        }
                    }
                }
            }

            if (total is { } expectedLength && received != expectedLength)
            {
                throw new ModelDownloadException($"The download ended after {received} of {expectedLength} bytes.");
            }

            var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.IsNullOrWhiteSpace(expectedSha256) && !string.Equals(sha, expectedSha256.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelDownloadException($"The downloaded model's sha256 is {sha}, but Detection:ModelSha256 expects {expectedSha256.Trim().ToLowerInvariant()}.");
            }

            File.Move(part, destination, overwrite: true);
            Log.DownloadFinished(logger, received, sha);
            ok = true;
            return sha;
        }
        catch (HttpRequestException ex)
        {
            throw new ModelDownloadException($"The model could not be downloaded from {url}: {ex.Message}", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!ok)
            {
                TryDelete(part);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
