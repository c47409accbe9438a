using System.Globalization;

namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>Maps huggingface_hub's environment variables onto <see cref="HubOptions"/>, with the same precedence.</summary>
internal static class HubEnvironment
{
    /// <summary>The cache folder when no variable names one: <c>~/.cache/huggingface/hub</c>.</summary>
    public static string DefaultCacheDirectory() => Path.Combine(HomeDirectory(), ".cache", "huggingface", "hub");

    /// <summary>Builds options from the variables returned by <paramref name="variable"/> (null or empty when unset).</summary>
    public static HubOptions Read(Func<string, string?> variable)
    {
        string? Get(string name) => variable(name) is { } value && value.Trim().Length > 0 ? value.Trim() : null;

        string home = ExpandHome(Get("HF_HOME")
            ?? Path.Combine(ExpandHome(Get("XDG_CACHE_HOME") ?? Path.Combine("~", ".cache")), "huggingface"));
        var options = new HubOptions
        {
            CacheDirectory = ExpandHome(Get("HF_HUB_CACHE") ?? Get("HUGGINGFACE_HUB_CACHE") ?? Path.Combine(home, "hub")),
            Offline = IsTrue(Get("HF_HUB_OFFLINE") ?? Get("TRANSFORMERS_OFFLINE")),
            Token = Get("HF_TOKEN") ?? Get("HUGGING_FACE_HUB_TOKEN")
                ?? ReadTokenFile(ExpandHome(Get("HF_TOKEN_PATH") ?? Path.Combine(home, "token"))),
        };
        if (Get("HF_ENDPOINT") is { } endpoint)
            options.Endpoint = ParseEndpoint(endpoint);
        if (Get("HF_HUB_DOWNLOAD_TIMEOUT") is { } timeout)
            options.Timeout = ParseTimeout(timeout);
        return options;
    }

    /// <summary>huggingface_hub's reading of boolean variables: <c>1</c>, <c>true</c>, <c>yes</c> and <c>on</c>, in any case.</summary>
    public static bool IsTrue(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase)
            || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase));

    private static Uri ParseEndpoint(string value)
    {
        if (!Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out Uri? endpoint)
            || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"HF_ENDPOINT '{HubPathRules.Display(value)}' is not an absolute http or https URL.", "HF_ENDPOINT");
        return endpoint;
    }

    private static TimeSpan ParseTimeout(string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            || !double.IsFinite(seconds) || seconds <= 0 || seconds > TimeSpan.MaxValue.TotalSeconds)
            throw new ArgumentException(
                $"HF_HUB_DOWNLOAD_TIMEOUT '{HubPathRules.Display(value)}' is not a positive number of seconds.", "HF_HUB_DOWNLOAD_TIMEOUT");
        return TimeSpan.FromSeconds(seconds);
    }

    private static string? ReadTokenFile(string path)
    {
        if (!File.Exists(path))
            return null;
        string token = File.ReadAllText(path).Trim();
        return token.Length > 0 ? token : null;
    }

    private static string ExpandHome(string path)
    {
        if (path == "~")
            return HomeDirectory();
        if (path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return Path.Combine(HomeDirectory(), path[2..]);
        return path;
    }

    private static string HomeDirectory() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
