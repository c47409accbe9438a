namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// One repository's folder in the cache, laid out exactly like Python's huggingface_hub so both share it:
/// <c>models--org--name/{blobs/&lt;etag&gt;, snapshots/&lt;commit&gt;/&lt;file&gt;, refs/&lt;revision&gt;, .no_exist/&lt;commit&gt;/&lt;file&gt;}</c>.
/// </summary>
internal sealed class HubRepositoryCache
{
    /// <summary>Locates the folder of <paramref name="reference"/>'s repository under <paramref name="cacheDirectory"/>.</summary>
    public HubRepositoryCache(string cacheDirectory, HubModelReference reference)
    {
        Folder = Path.Combine(Path.GetFullPath(cacheDirectory), reference.CacheFolderName);
    }

    /// <summary>The repository's folder, <c>&lt;cache&gt;/models--org--name</c>.</summary>
    public string Folder { get; }

    /// <summary>The folder holding file contents named by their ETag.</summary>
    public string BlobsFolder => Path.Combine(Folder, "blobs");

    /// <summary>The path of the blob with the given ETag.</summary>
    public string BlobPath(string etag) => Path.Combine(BlobsFolder, etag);

    /// <summary>The snapshot folder of a commit: the folder that looks like a local model folder.</summary>
    public string SnapshotFolder(string commit) => Path.Combine(Folder, "snapshots", commit);

    /// <summary>The path of a file inside the snapshot of a commit.</summary>
    public string SnapshotFile(string commit, IEnumerable<string> fileSegments) =>
        Path.Combine([SnapshotFolder(commit), .. fileSegments]);

    /// <summary>Whether the snapshot of a commit holds the file, following its link (a link whose blob was deleted does not count).</summary>
    public bool HasSnapshotFile(string commit, IEnumerable<string> fileSegments)
    {
        // File.Exists is true for a dangling link on Unix, so the link is resolved explicitly.
        var file = new FileInfo(SnapshotFile(commit, fileSegments));
        if (!file.Exists)
            return false;
        try
        {
            return file.LinkTarget is null || file.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true };
        }
        catch (IOException)
        {
            // A link loop: treated as missing, so the download replaces it.
            return false;
        }
    }

    /// <summary>
    /// The commit cached for a revision: the content of <c>refs/&lt;revision&gt;</c>, else the revision itself when a
    /// snapshot folder carries its name (a commit hash, or a server that sent no commit); null when nothing is cached.
    /// </summary>
    public string? FindCommit(string revision)
    {
        string refFile = RefFile(revision);
        if (File.Exists(refFile))
        {
            string commit = File.ReadAllText(refFile).Trim();
            if (HubPathRules.IsSafeSegment(commit))
                return commit;
        }
        return HubPathRules.IsSafeSegment(revision) && Directory.Exists(SnapshotFolder(revision)) ? revision : null;
    }

    /// <summary>Records in <c>refs/&lt;revision&gt;</c> which commit a branch or tag resolved to.</summary>
    public void WriteRef(string revision, string commit, CreatedDirectories directories)
    {
        if (revision == commit)
            return;
        string refFile = RefFile(revision);
        if (File.Exists(refFile) && File.ReadAllText(refFile).Trim() == commit)
            return;
        directories.Ensure(Path.GetDirectoryName(refFile)!);
        string temporary = refFile + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            // No newline: huggingface_hub writes the bare hash.
            File.WriteAllText(temporary, commit);
            File.Move(temporary, refFile, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Whether the hub said earlier that the file does not exist at this commit (<c>.no_exist</c>).</summary>
    public bool IsKnownMissing(string commit, IEnumerable<string> fileSegments) => File.Exists(MissingMarker(commit, fileSegments));

    /// <summary>Remembers that the file does not exist at this commit, like huggingface_hub; best effort only.</summary>
    public void MarkMissing(string commit, IEnumerable<string> fileSegments, CreatedDirectories directories)
    {
        string marker = MissingMarker(commit, fileSegments);
        try
        {
            directories.Ensure(Path.GetDirectoryName(marker)!);
            using (File.Create(marker))
            {
            }
        }
        catch (IOException)
        {
            // Only an optimisation: without the marker the file is asked for again next time.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Makes the snapshot file of a commit point at a blob.</summary>
    public void LinkSnapshotFile(string commit, IReadOnlyList<string> fileSegments, string blobPath, CreatedDirectories directories)
    {
        string snapshotFile = SnapshotFile(commit, fileSegments);
        directories.Ensure(Path.GetDirectoryName(snapshotFile)!);
        SnapshotLinker.Link(blobPath, snapshotFile);
    }

    private string RefFile(string revision) => Path.Combine([Folder, "refs", .. revision.Split('/')]);

    private string MissingMarker(string commit, IEnumerable<string> fileSegments) =>
        Path.Combine([Folder, ".no_exist", commit, .. fileSegments]);
}
