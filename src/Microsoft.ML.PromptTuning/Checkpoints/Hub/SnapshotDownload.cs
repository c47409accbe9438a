using System.Net;

namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// Brings the files of one model reference into one snapshot folder. The commit is taken from the cache
/// (<c>refs/&lt;revision&gt;</c>) or from the first answer of the hub and then pinned, so that all files come from the
/// same commit even if the branch moves meanwhile. Files already in the snapshot are never requested again.
/// </summary>
internal sealed class SnapshotDownload
{
    private readonly HubModelReference reference;
    private readonly HubOptions options;
    private readonly HubHttpClient http;
    private readonly HubRepositoryCache cache;
    private readonly IProgress<HubDownloadProgress>? progress;
    private string? commit;

    /// <summary>Prepares a download of files of <paramref name="reference"/>.</summary>
    public SnapshotDownload(HubModelReference reference, HubOptions options, HubHttpClient http, IProgress<HubDownloadProgress>? progress)
    {
        this.reference = reference;
        this.options = options;
        this.http = http;
        this.progress = progress;
        cache = new HubRepositoryCache(options.CacheDirectory, reference);
        Errors = new HubErrors(reference, options.Endpoint, options.Token);
        commit = cache.FindCommit(reference.Revision);
    }

    /// <summary>The errors of this download, naming its repository and revision.</summary>
    public HubErrors Errors { get; }

    /// <summary>Whether files come from the cache only.</summary>
    public bool Offline => options.Offline;

    /// <summary>The snapshot folder the files are in; known once one file was found.</summary>
    public string SnapshotFolder => cache.SnapshotFolder(
        commit ?? throw new InvalidOperationException("No file has been found yet, so the snapshot's commit is unknown."));

    /// <summary>The local path of a file that <see cref="FetchAsync"/> has found.</summary>
    public string LocalPath(string fileName) => cache.SnapshotFile(
        commit ?? throw new InvalidOperationException("No file has been found yet, so the snapshot's commit is unknown."),
        HubPathRules.SplitFileName(fileName, nameof(fileName)));

    /// <summary>
    /// Makes sure the file is in the snapshot, from the cache or the hub. Returns false for an optional file the hub
    /// does not have (HTTP 404), or that offline mode cannot find in the cache; a required one throws instead.
    /// </summary>
    public async Task<bool> FetchAsync(string fileName, bool required, CancellationToken cancellationToken)
    {
        string[] segments = HubPathRules.SplitFileName(fileName, nameof(fileName));
        if (commit is not null)
        {
            if (cache.HasSnapshotFile(commit, segments))
                return true;
            if (!required && cache.IsKnownMissing(commit, segments))
                return false;
        }
        if (options.Offline)
        {
            if (required)
                throw Errors.NotCachedOffline(fileName, commit is null ? cache.Folder : cache.SnapshotFile(commit, segments));
            return false;
        }
        cancellationToken.ThrowIfCancellationRequested();
        return await DownloadAsync(fileName, segments, required, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DownloadAsync(string fileName, string[] segments, bool required, CancellationToken cancellationToken)
    {
        string requested = commit ?? reference.Revision;
        Uri url = HubUrls.Resolve(options.Endpoint, reference.RepoId, requested, segments);
        using var timeout = new InactivityTimeout(options.Timeout, cancellationToken);
        using HubResponse answer = await http.GetAsync(url, fileName, timeout, Errors).ConfigureAwait(false);
        var directories = new CreatedDirectories();
        try
        {
            if (!answer.Found)
            {
                HttpStatusCode status = answer.Message.StatusCode;
                if (status == HttpStatusCode.NotFound && !required && IsMissingFile(answer.Metadata))
                {
                    RememberMissing(answer.Metadata, requested, fileName, segments, directories);
                    return false;
                }
                throw Errors.Status(status, answer.Metadata, fileName, url);
            }

            string etag = CheckedETag(answer.Metadata, fileName);
            string answeredCommit = AdoptCommit(answer.Metadata, requested, fileName);
            string blob = cache.BlobPath(etag);
            // Another revision may already hold the same content; then the storage server is not visited at all.
            if (!File.Exists(blob))
            {
                directories.Ensure(cache.BlobsFolder);
                await SaveBlobAsync(answer, fileName, blob, etag, timeout).ConfigureAwait(false);
            }
            cache.LinkSnapshotFile(answeredCommit, segments, blob, directories);
            cache.WriteRef(reference.Revision, answeredCommit, directories);
            return true;
        }
        catch
        {
            directories.RemoveEmpty();
            throw;
        }
    }

    private async Task SaveBlobAsync(HubResponse answer, string fileName, string blob, string etag, InactivityTimeout timeout)
    {
        var downloader = new BlobDownloader(fileName, Errors, timeout, progress);
        if (answer.StorageLocation is null)
        {
            await downloader.SaveAsync(answer.Message, answer.Metadata.LinkedSize, blob, etag).ConfigureAwait(false);
            return;
        }
        using HttpResponseMessage content = await http.GetStorageAsync(answer.StorageLocation, fileName, timeout, Errors).ConfigureAwait(false);
        if (content.StatusCode != HttpStatusCode.OK)
            throw Errors.StorageStatus(content.StatusCode, fileName);
        await downloader.SaveAsync(content, answer.Metadata.LinkedSize, blob, etag).ConfigureAwait(false);
    }

    /// <summary>Records an optional file's absence in <c>.no_exist</c> like huggingface_hub, so the next download does not ask again.</summary>
    private void RememberMissing(HubFileMetadata metadata, string requested, string fileName, string[] segments, CreatedDirectories directories)
    {
        // Without a commit to file it under (no header, and a revision like refs/pr/1), the absence is simply not remembered.
        if (metadata.Commit is null && !HubPathRules.IsSafeSegment(requested))
            return;
        string missingAt = AdoptCommit(metadata, requested, fileName);
        cache.MarkMissing(missingAt, segments, directories);
        cache.WriteRef(reference.Revision, missingAt, directories);
    }

    /// <summary>
    /// The commit of an answer: <c>X-Repo-Commit</c>, else the revision that was requested. Without the header (some
    /// mirrors), the snapshot folder is named after the revision and no ref is written, which huggingface_hub reads too.
    /// </summary>
    private string AdoptCommit(HubFileMetadata metadata, string requested, string fileName)
    {
        string answered = metadata.Commit ?? requested;
        if (!HubPathRules.IsSafeSegment(answered))
            throw Errors.BadMetadata(fileName, metadata.Commit is null
                ? $"it has no X-Repo-Commit header, and the revision '{HubPathRules.Display(requested)}' cannot name a snapshot folder."
                : $"its X-Repo-Commit '{HubPathRules.Display(answered)}' cannot name a snapshot folder.");
        if (commit is not null && commit != answered)
            throw Errors.CommitChanged(fileName, commit, answered);
        commit = answered;
        return answered;
    }

    private string CheckedETag(HubFileMetadata metadata, string fileName)
    {
        string etag = metadata.BlobETag
            ?? throw Errors.BadMetadata(fileName, "it has no ETag, so the file cannot be cached reliably.");
        if (!HubPathRules.IsSafeSegment(etag))
            throw Errors.BadMetadata(fileName, $"its ETag '{HubPathRules.Display(etag)}' cannot name a blob file.");
        return etag;
    }

    // A 404 without an error code comes from a plain mirror and means the file; the hub names repository and revision errors.
    private static bool IsMissingFile(HubFileMetadata metadata) => metadata.ErrorCode is null or "EntryNotFound";
}
