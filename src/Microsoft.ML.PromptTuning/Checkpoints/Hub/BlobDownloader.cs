using System.Buffers;
using System.Security.Cryptography;

namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// Streams a response body into a blob. The bytes go to a temporary file beside the blob that is renamed only once its
/// length (and, for Git LFS files, its sha256) has been checked; any failure deletes it, so no partial blob is ever seen.
/// </summary>
internal sealed class BlobDownloader
{
    private const int BufferSize = 81920;

    private readonly string fileName;
    private readonly HubErrors errors;
    private readonly InactivityTimeout timeout;
    private readonly IProgress<HubDownloadProgress>? progress;

    /// <summary>Creates a downloader for one file, reporting to <paramref name="progress"/> when given.</summary>
    public BlobDownloader(string fileName, HubErrors errors, InactivityTimeout timeout, IProgress<HubDownloadProgress>? progress)
    {
        this.fileName = fileName;
        this.errors = errors;
        this.timeout = timeout;
        this.progress = progress;
    }

    /// <summary>
    /// Saves the body of <paramref name="response"/> as <paramref name="blobPath"/>, whose name is the ETag
    /// <paramref name="etag"/>; <paramref name="linkedSize"/> is the size the hub announced for an LFS file.
    /// </summary>
    public async Task SaveAsync(HttpResponseMessage response, long? linkedSize, string blobPath, string etag)
    {
        RejectEncodedBody(response);
        long? expected = response.Content.Headers.ContentLength ?? linkedSize;
        string temporary = blobPath + "." + Guid.NewGuid().ToString("N") + ".incomplete";
        try
        {
            using IncrementalHash? sha256 = HubPathRules.IsSha256(etag) ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
            long received;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
                received = await CopyBodyAsync(response, file, sha256, expected).ConfigureAwait(false);

            foreach (long? announced in new[] { response.Content.Headers.ContentLength, linkedSize })
            {
                if (announced is { } length && length != received)
                    throw errors.LengthMismatch(fileName, received, length);
            }
            if (sha256 is not null)
            {
                string actual = Convert.ToHexStringLower(sha256.GetHashAndReset());
                if (actual != etag)
                    throw errors.ChecksumMismatch(fileName, etag, actual);
            }
            File.Move(temporary, blobPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private async Task<long> CopyBodyAsync(HttpResponseMessage message, FileStream file, IncrementalHash? sha256, long? expected)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using Stream body = await message.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            long received = 0;
            progress?.Report(new HubDownloadProgress(fileName, 0, expected));
            int read;
            while ((read = await ReadAsync(body, buffer, received, expected).ConfigureAwait(false)) > 0)
            {
                sha256?.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), timeout.CallerToken).ConfigureAwait(false);
                received += read;
                if (expected is { } length && received > length)
                    throw errors.LengthMismatch(fileName, received, length);
                progress?.Report(new HubDownloadProgress(fileName, received, expected));
            }
            await file.FlushAsync(timeout.CallerToken).ConfigureAwait(false);
            return received;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<int> ReadAsync(Stream body, byte[] buffer, long received, long? expected)
    {
        timeout.Restart();
        try
        {
            return await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.HasExpired)
        {
            throw errors.Timeout(fileName, timeout.Limit, received);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            timeout.ThrowIfCallerCancelled();
            throw errors.Interrupted(fileName, received, expected, exception);
        }
    }

    private void RejectEncodedBody(HttpResponseMessage message)
    {
        foreach (string encoding in message.Content.Headers.ContentEncoding)
        {
            if (!encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
                throw errors.BadMetadata(fileName, $"the body is encoded with '{encoding}' although 'identity' was requested.");
        }
    }
}
