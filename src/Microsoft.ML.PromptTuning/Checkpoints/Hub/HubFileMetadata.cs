using System.Net.Http.Headers;

namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// What the hub says about a file in its response headers: the ETag naming the blob, the commit naming the snapshot,
/// the size of a file stored with Git LFS and, for errors, the hub's error code and message.
/// </summary>
internal sealed record HubFileMetadata(string? LinkedETag, string? ETag, string? Commit, long? LinkedSize, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>An empty set of metadata, before any response was read.</summary>
    public static readonly HubFileMetadata None = new(null, null, null, null, null, null);

    /// <summary>The blob's name: <c>X-Linked-Etag</c> (the sha256 of an LFS file) when present, else <c>ETag</c>.</summary>
    public string? BlobETag => LinkedETag ?? ETag;

    /// <summary>Reads the hub's headers from one response.</summary>
    public static HubFileMetadata Read(HttpResponseMessage response)
    {
        HttpResponseHeaders headers = response.Headers;
        return new HubFileMetadata(
            NormalizeETag(Header(headers, "X-Linked-Etag")),
            NormalizeETag(Header(headers, "ETag")),
            Header(headers, "X-Repo-Commit"),
            long.TryParse(Header(headers, "X-Linked-Size"), out long size) && size >= 0 ? size : null,
            Header(headers, "X-Error-Code"),
            Header(headers, "X-Error-Message"));
    }

    /// <summary>These values, with any value missing here taken from <paramref name="earlier"/> (an earlier hop of a redirect).</summary>
    public HubFileMetadata Over(HubFileMetadata earlier) => new(
        LinkedETag ?? earlier.LinkedETag,
        ETag ?? earlier.ETag,
        Commit ?? earlier.Commit,
        LinkedSize ?? earlier.LinkedSize,
        ErrorCode ?? earlier.ErrorCode,
        ErrorMessage ?? earlier.ErrorMessage);

    // huggingface_hub strips the weak-validator prefix and the quotes: W/"abc" -> abc.
    private static string? NormalizeETag(string? value)
    {
        if (value is null)
            return null;
        if (value.StartsWith("W/", StringComparison.Ordinal))
            value = value[2..];
        value = value.Trim('"');
        return value.Length > 0 ? value : null;
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out IEnumerable<string>? values) && values.FirstOrDefault() is { } value && value.Trim().Length > 0
            ? value.Trim()
            : null;
}
