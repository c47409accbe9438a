using System.Net;

namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// Writes the exceptions of one download: each names the repository, revision and file concerned, and the token is
/// never part of a message (it is redacted even from text the server sends back).
/// </summary>
internal sealed class HubErrors
{
    // The longest piece of a server's own error message that is quoted.
    private const int MaxServerMessageLength = 300;

    private readonly HubModelReference reference;
    private readonly Uri endpoint;
    private readonly string? token;

    /// <summary>Creates the errors for downloads of <paramref name="reference"/> from <paramref name="endpoint"/>.</summary>
    public HubErrors(HubModelReference reference, Uri endpoint, string? token)
    {
        this.reference = reference;
        this.endpoint = endpoint;
        this.token = token;
    }

    /// <summary>An unsuccessful HTTP status, explained by the hub's <c>X-Error-Code</c> where it sent one.</summary>
    public HubDownloadException Status(HttpStatusCode status, HubFileMetadata metadata, string fileName, Uri url)
    {
        string repo = Quote(reference.RepoId);
        string http = $"HTTP {(int)status} {status}";
        string message = (int)status switch
        {
            401 when token is null =>
                $"The repository {repo} requires authentication ({http}): it is private or gated, or does not exist. " +
                "Set HubOptions.Token or the HF_TOKEN environment variable to a token with access.",
            401 => $"The hub did not accept the configured token for {repo} ({http}): the token is invalid or expired, " +
                "or the repository does not exist.",
            403 when metadata.ErrorCode == "GatedRepo" =>
                $"The repository {repo} is gated ({http}): accept its conditions on the model page with the account the token belongs to.",
            403 => $"Access to {repo} is forbidden ({http}): the token does not grant access to this private or gated repository.",
            404 when metadata.ErrorCode == "RepoNotFound" => $"The repository {repo} was not found at {endpoint} ({http}).",
            404 when metadata.ErrorCode == "RevisionNotFound" =>
                $"The revision {Quote(reference.Revision)} was not found in {repo} ({http}).",
            404 => $"The file {Quote(fileName)} was not found in {repo} at revision {Quote(reference.Revision)} ({http}, {url}).",
            >= 500 => $"The hub answered {http} for {Describe(fileName)}: a server error; try again later.",
            _ => $"The hub answered {http} for {Describe(fileName)} ({url}).",
        };
        if (metadata.ErrorMessage is { } serverMessage)
            message += " Server message: " + Shorten(HubPathRules.Display(serverMessage));
        return new HubDownloadException(Redact(message), status);
    }

    /// <summary>The storage server the hub redirected to refused the content; its signed URL is not shown.</summary>
    public HubDownloadException StorageStatus(HttpStatusCode status, string fileName) => new(Redact(
        $"The storage server the hub redirected to answered HTTP {(int)status} {status} for {Describe(fileName)}; " +
        "try again (its download links expire)."), status);

    /// <summary>The server stayed silent for longer than the timeout.</summary>
    public HubDownloadException Timeout(string fileName, TimeSpan limit, long bytesReceived) => Create(
        $"Downloading {Describe(fileName)} timed out: the server sent nothing for {limit.TotalSeconds:0.###} s " +
        $"(after {bytesReceived} bytes). Raise HubOptions.Timeout or HF_HUB_DOWNLOAD_TIMEOUT for slow connections.");

    /// <summary>The server could not be reached or the connection failed before the response headers arrived.</summary>
    public HubDownloadException Unreachable(string fileName, Uri url, Exception cause) => Create(
        $"Could not reach {url.GetLeftPart(UriPartial.Authority)} to download {Describe(fileName)}: {cause.Message} " +
        "Check the network, or set HF_HUB_OFFLINE=1 to use only the cache.", cause);

    /// <summary>The connection broke while the file was arriving.</summary>
    public HubDownloadException Interrupted(string fileName, long bytesReceived, long? expected, Exception cause) => Create(
        $"The connection broke while downloading {Describe(fileName)} after {bytesReceived}" +
        (expected is { } total ? $" of {total}" : "") + $" bytes: {cause.Message}", cause);

    /// <summary>The response ended before or after the announced length.</summary>
    public HubDownloadException LengthMismatch(string fileName, long received, long expected) => Create(
        $"The download of {Describe(fileName)} is incomplete or corrupt: received {received} bytes but the server announced {expected}.");

    /// <summary>The sha256 of the received bytes differs from the one the hub announced.</summary>
    public HubDownloadException ChecksumMismatch(string fileName, string expected, string actual) => Create(
        $"The download of {Describe(fileName)} is corrupt: its sha256 is {actual} but the hub announced {expected}.");

    /// <summary>The hub's metadata cannot name a cache entry.</summary>
    public HubDownloadException BadMetadata(string fileName, string problem) => Create(
        $"The server's answer for {Describe(fileName)} cannot be cached: {problem} Is {endpoint} a Hugging Face Hub?");

    /// <summary>A redirect that cannot or must not be followed.</summary>
    public HubDownloadException BadRedirect(string fileName, string problem) => Create(
        $"Downloading {Describe(fileName)} failed: {problem}");

    /// <summary>Files of one download came from different commits, so they cannot share one snapshot folder.</summary>
    public HubDownloadException CommitChanged(string fileName, string expected, string actual) => Create(
        $"The hub answered commit {Quote(actual)} for {Describe(fileName)}, but the snapshot of this download is commit " +
        $"{Quote(expected)}: the revision changed while downloading, or refs/{reference.Revision} in the cache is stale " +
        "(delete that file to resolve the revision again).");

    /// <summary>A required file is missing from the cache while offline mode is on.</summary>
    public HubDownloadException NotCachedOffline(string fileName, string expectedPath) => Create(
        $"The file {Describe(fileName)} is not in the cache (looked for {expectedPath}) and offline mode is on " +
        "(HubOptions.Offline / HF_HUB_OFFLINE), so it cannot be downloaded.");

    /// <summary>A model folder has none of the weight files <c>DownloadModelAsync</c> knows.</summary>
    public HubDownloadException NoWeights(IEnumerable<string> tried, bool offline) => Create(offline
        ? $"None of the weight files {string.Join(", ", tried)} of {Quote(reference.ToString())} is in the cache, and offline mode is on."
        : $"The repository {Quote(reference.RepoId)} at revision {Quote(reference.Revision)} has none of the weight files {string.Join(", ", tried)}.");

    /// <summary>A downloaded file could not be understood.</summary>
    public HubDownloadException BadFile(string fileName, string problem, Exception? cause = null) => Create(
        $"The file {Describe(fileName)} is invalid: {problem}", cause);

    private HubDownloadException Create(string message, Exception? cause = null) => new(Redact(message), cause);

    private string Describe(string fileName) =>
        $"{Quote(fileName)} from {Quote(reference.RepoId)} at revision {Quote(reference.Revision)}";

    private static string Quote(string value) => "'" + HubPathRules.Display(value) + "'";

    private static string Shorten(string text) =>
        text.Length <= MaxServerMessageLength ? text : text[..MaxServerMessageLength] + "…";

    private string Redact(string message) =>
        string.IsNullOrEmpty(token) ? message : message.Replace(token, "***", StringComparison.Ordinal);
}
