using System.Text;

namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>Builds the hub's download URLs, <c>{endpoint}/{repo}/resolve/{revision}/{file}</c>, with every segment escaped.</summary>
internal static class HubUrls
{
    /// <summary>The URL of one file; a revision such as <c>refs/pr/1</c> is escaped as a single segment, like huggingface_hub does.</summary>
    public static Uri Resolve(Uri endpoint, string repoId, string revision, IReadOnlyList<string> fileSegments)
    {
        // Plain concatenation keeps a path prefix of the endpoint (a mirror served under /hf, say).
        var url = new StringBuilder(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        foreach (string part in repoId.Split('/'))
            url.Append('/').Append(Uri.EscapeDataString(part));
        url.Append("/resolve/").Append(Uri.EscapeDataString(revision));
        foreach (string segment in fileSegments)
            url.Append('/').Append(Uri.EscapeDataString(segment));
        return new Uri(url.ToString(), UriKind.Absolute);
    }

    /// <summary>Whether both URLs point at the same scheme, host and port, i.e. whether the hub's token may be sent to it.</summary>
    public static bool SameServer(Uri first, Uri second) =>
        Uri.Compare(first, second, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
