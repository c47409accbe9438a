namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>Settings of <see cref="HuggingFaceHub"/>: where to download from, with which token, and where the cache lives.</summary>
public sealed class HubOptions
{
    /// <summary>The public Hugging Face Hub.</summary>
    public static readonly Uri DefaultEndpoint = new("https://huggingface.co");

    /// <summary>How long the server may stay silent before a download fails; huggingface_hub's default too.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The hub or mirror to download from; files are fetched from <c>{Endpoint}/{repo}/resolve/{revision}/{file}</c>.</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>The access token sent as <c>Authorization: Bearer</c> for gated and private repositories; never printed.</summary>
    public string? Token { get; set; }

    /// <summary>The cache folder shared with Python's huggingface_hub; defaults to <c>~/.cache/huggingface/hub</c>.</summary>
    public string CacheDirectory { get; set; } = HubEnvironment.DefaultCacheDirectory();

    /// <summary>Whether to resolve files from the cache only, never contacting the server (<c>HF_HUB_OFFLINE</c>).</summary>
    public bool Offline { get; set; }

    /// <summary>How long the server may take to answer or to send the next part of a file before the download fails.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>
    /// Reads the settings the way huggingface_hub does: <c>HF_ENDPOINT</c>; <c>HF_TOKEN</c>, else
    /// <c>HUGGING_FACE_HUB_TOKEN</c>, else the token file saved by <c>huggingface-cli login</c>; <c>HF_HUB_OFFLINE</c>
    /// (else <c>TRANSFORMERS_OFFLINE</c>) set to 1, true, yes or on;
    /// <c>HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else <c>~/.cache/huggingface/hub</c>; <c>HF_HUB_DOWNLOAD_TIMEOUT</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A variable holds a value that cannot be used; the message names it.</exception>
    public static HubOptions FromEnvironment() => HubEnvironment.Read(Environment.GetEnvironmentVariable);

    /// <summary>A description of the settings with the token replaced by <c>(set)</c> or <c>(none)</c>.</summary>
    public override string ToString() =>
        $"Endpoint={Endpoint}, Token={(string.IsNullOrEmpty(Token) ? "(none)" : "(set)")}, " +
        $"CacheDirectory={CacheDirectory}, Offline={Offline}, Timeout={Timeout}";

    /// <summary>Checks every setting; each message names the property at fault and never shows the token.</summary>
    internal void Validate()
    {
        if (Endpoint is null)
            throw new ArgumentException("HubOptions.Endpoint is not set.", nameof(Endpoint));
        if (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"HubOptions.Endpoint '{Endpoint}' must be an absolute http or https URL.", nameof(Endpoint));
        if (Endpoint.UserInfo.Length > 0)
            throw new ArgumentException(
                "HubOptions.Endpoint must not contain user credentials (they are not shown); set HubOptions.Token instead.", nameof(Endpoint));
        if (Endpoint.Query.Length > 0 || Endpoint.Fragment.Length > 0)
            throw new ArgumentException($"HubOptions.Endpoint '{Endpoint}' must not have a query or fragment.", nameof(Endpoint));
        if (string.IsNullOrWhiteSpace(CacheDirectory))
            throw new ArgumentException("HubOptions.CacheDirectory is empty.", nameof(CacheDirectory));
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentException($"HubOptions.Timeout must be positive (or Timeout.InfiniteTimeSpan); it is {Timeout}.", nameof(Timeout));
        if (Token is not null && !IsValidToken(Token))
            throw new ArgumentException(
                "HubOptions.Token is empty or contains white space or control characters (the value is not shown).", nameof(Token));
    }

    /// <summary>A copy, so that changes made to these options after a client was created do not reach it.</summary>
    internal HubOptions Clone() => (HubOptions)MemberwiseClone();

    private static bool IsValidToken(string token)
    {
        if (token.Length == 0)
            return false;
        foreach (char c in token)
        {
            // Visible ASCII only: anything else is refused by HTTP headers with a message that would quote the value.
            if (c is <= ' ' or > '~')
                return false;
        }
        return true;
    }
}
