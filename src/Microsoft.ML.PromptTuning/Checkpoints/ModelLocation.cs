using Microsoft.ML.PromptTuning.Checkpoints.Hub;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Turns what a user names as a model — a local folder or a hub id (<c>org/name</c>, <c>org/name@revision</c>) — into a local folder.</summary>
public static class ModelLocation
{
    /// <summary>
    /// Returns <paramref name="folderOrHubId"/> when it is an existing folder; otherwise downloads (or finds in the cache) the
    /// hub model it names, honouring <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c>, <c>HF_HUB_OFFLINE</c> and <c>HF_HOME</c>.
    /// </summary>
    public static string Resolve(string folderOrHubId, HubOptions? hubOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folderOrHubId);
        if (Directory.Exists(folderOrHubId))
            return Path.GetFullPath(folderOrHubId);
        if (Path.IsPathRooted(folderOrHubId) || folderOrHubId.StartsWith('.') || File.Exists(folderOrHubId))
            throw new DirectoryNotFoundException($"Model folder not found: {folderOrHubId}");
        using var hub = new HuggingFaceHub(hubOptions ?? HubOptions.FromEnvironment());
        return hub.DownloadModelAsync(folderOrHubId, cancellationToken).GetAwaiter().GetResult();
    }
}
