namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// A Hugging Face model reference — <c>org/name</c>, a bare <c>name</c>, either optionally followed by
/// <c>@revision</c> — checked so that it can safely become part of a URL and of a cache path.
/// </summary>
public sealed record HubModelReference
{
    /// <summary>The revision used when the reference names none.</summary>
    public const string DefaultRevision = "main";

    private HubModelReference(string repoId, string revision)
    {
        RepoId = repoId;
        Revision = revision;
    }

    /// <summary>The repository id, <c>org/name</c> or <c>name</c>.</summary>
    public string RepoId { get; }

    /// <summary>The branch, tag or commit hash to download; <see cref="DefaultRevision"/> when none was given.</summary>
    public string Revision { get; }

    /// <summary>Whether <see cref="Revision"/> is a full 40-character commit hash rather than a branch or tag name.</summary>
    public bool IsCommitHash => HubPathRules.IsCommitHash(Revision);

    /// <summary>The repository's folder in the cache, named like huggingface_hub names it (<c>models--org--name</c>).</summary>
    internal string CacheFolderName => "models--" + RepoId.Replace("/", "--", StringComparison.Ordinal);

    /// <summary>Parses <c>org/name</c>, <c>name</c>, <c>org/name@revision</c> or <c>name@revision</c>.</summary>
    /// <exception cref="ArgumentException">The repository id or revision is malformed or could escape the cache folder.</exception>
    public static HubModelReference Parse(string modelReference)
    {
        ArgumentNullException.ThrowIfNull(modelReference);
        if (modelReference.Length == 0)
            throw new ArgumentException("The model reference is empty; expected 'org/name' or 'org/name@revision'.", nameof(modelReference));

        // Repository ids never contain '@', so the first one starts the revision.
        int at = modelReference.IndexOf('@', StringComparison.Ordinal);
        string repoId = at < 0 ? modelReference : modelReference[..at];
        string revision = at < 0 ? DefaultRevision : modelReference[(at + 1)..];
        if (at >= 0 && revision.Length == 0)
            throw new ArgumentException(
                $"The model reference '{HubPathRules.Display(modelReference)}' ends with '@' but names no revision.", nameof(modelReference));

        HubPathRules.ValidateRepoId(repoId, nameof(modelReference));
        HubPathRules.ValidateRevision(revision, nameof(modelReference));
        return new HubModelReference(repoId, revision);
    }

    /// <summary>The reference as <c>org/name@revision</c>.</summary>
    public override string ToString() => RepoId + "@" + Revision;
}
