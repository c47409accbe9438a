namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// The hub's answer for a file: the last response the hub itself sent (after its own relative redirects), the
/// metadata those responses carried, and, for files kept on a storage server (Git LFS), where the content is.
/// </summary>
internal sealed class HubResponse : IDisposable
{
    /// <summary>Wraps the hub's last response, its metadata and the storage location it redirects to, if any.</summary>
    public HubResponse(HttpResponseMessage message, HubFileMetadata metadata, Uri? storageLocation)
    {
        Message = message;
        Metadata = metadata;
        StorageLocation = storageLocation;
    }

    /// <summary>The hub's last response: the file itself, an error, or the redirect to <see cref="StorageLocation"/>.</summary>
    public HttpResponseMessage Message { get; }

    /// <summary>The hub's headers (ETag, commit, LFS size, error code).</summary>
    public HubFileMetadata Metadata { get; }

    /// <summary>Where the content is when the hub redirects to a storage server; null when <see cref="Message"/> carries it.</summary>
    public Uri? StorageLocation { get; }

    /// <summary>Whether the hub found the file: it answered with the content or with a redirect to it.</summary>
    public bool Found => StorageLocation is not null || Message.StatusCode == System.Net.HttpStatusCode.OK;

    /// <summary>Releases the response and its connection.</summary>
    public void Dispose() => Message.Dispose();
}
