namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>
/// Downloads model files from the Hugging Face Hub into a cache shared with Python's huggingface_hub and returns the
/// snapshot folder, which can be used like any local model folder. Files already cached are not downloaded again;
/// a branch or tag is resolved once and stays pinned to the cached commit (<c>refs/&lt;revision&gt;</c>) afterwards.
/// </summary>
public sealed class HuggingFaceHub : IDisposable
{
    private readonly HubOptions options;
    private readonly HubHttpClient http;
    private bool disposed;

    /// <summary>Creates a client configured from the environment (<see cref="HubOptions.FromEnvironment"/>).</summary>
    public HuggingFaceHub()
        : this(HubOptions.FromEnvironment())
    {
    }

    /// <summary>Creates a client with the given options; later changes to <paramref name="options"/> do not affect it.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public HuggingFaceHub(HubOptions options)
    {
        this.options = Validated(options);
        http = new HubHttpClient(HubHttpClient.CreateDefaultHandler(), ownsHandler: true, this.options.Endpoint, this.options.Token);
    }

    /// <summary>
    /// Creates a client sending its requests through <paramref name="handler"/> (a proxy or test handler), which stays
    /// the caller's to dispose. The handler should not follow redirects itself: the hub's metadata travels on them.
    /// </summary>
    public HuggingFaceHub(HubOptions options, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        this.options = Validated(options);
        http = new HubHttpClient(handler, ownsHandler: false, this.options.Endpoint, this.options.Token);
    }

    /// <summary>Downloads the named files of <paramref name="modelReference"/> (<c>org/name[@revision]</c>) and returns the snapshot folder.</summary>
    /// <exception cref="ArgumentException">The reference or a file name is malformed or could escape the cache.</exception>
    /// <exception cref="HubDownloadException">A file could not be downloaded, or is not cached in offline mode.</exception>
    public Task<string> DownloadAsync(string modelReference, IEnumerable<string> files, CancellationToken cancellationToken = default) =>
        DownloadAsync(modelReference, files, progress: null, cancellationToken);

    /// <summary>
    /// Downloads the named files (paths inside the repository, such as <c>onnx/model.onnx</c>) of
    /// <paramref name="modelReference"/> and returns the snapshot folder, reporting each file's progress.
    /// </summary>
    /// <exception cref="ArgumentException">The reference or a file name is malformed or could escape the cache.</exception>
    /// <exception cref="HubDownloadException">A file could not be downloaded, or is not cached in offline mode.</exception>
    public Task<string> DownloadAsync(
        string modelReference, IEnumerable<string> files, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken = default)
    {
        HubModelReference reference = HubModelReference.Parse(modelReference);
        IReadOnlyList<string> names = CheckedFileNames(files);
        ObjectDisposedException.ThrowIf(disposed, this);
        return DownloadFilesAsync(new SnapshotDownload(reference, options, http, progress), names, cancellationToken);
    }

    /// <summary>
    /// Downloads what a model folder needs — <c>config.json</c>; <c>model.safetensors</c>, else
    /// <c>model.safetensors.index.json</c> and its shards, else <c>pytorch_model.bin</c>, else
    /// <c>pytorch_model.bin.index.json</c> and its shards; and the tokenizer files the
    /// repository has — and returns the snapshot folder.
    /// </summary>
    /// <exception cref="ArgumentException">The reference is malformed or could escape the cache.</exception>
    /// <exception cref="HubDownloadException">A needed file could not be downloaded, or is not cached in offline mode.</exception>
    public Task<string> DownloadModelAsync(string modelReference, CancellationToken cancellationToken = default) =>
        DownloadModelAsync(modelReference, progress: null, cancellationToken);

    /// <summary>Downloads what a model folder needs (see the overload without progress) and reports each file's progress.</summary>
    /// <exception cref="ArgumentException">The reference is malformed or could escape the cache.</exception>
    /// <exception cref="HubDownloadException">A needed file could not be downloaded, or is not cached in offline mode.</exception>
    public Task<string> DownloadModelAsync(
        string modelReference, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken = default)
    {
        HubModelReference reference = HubModelReference.Parse(modelReference);
        ObjectDisposedException.ThrowIf(disposed, this);
        return DownloadModelFolderAsync(new SnapshotDownload(reference, options, http, progress), cancellationToken);
    }

    /// <summary>Releases the HTTP connections.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        http.Dispose();
    }

    private static HubOptions Validated(HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        HubOptions copy = options.Clone();
        copy.CacheDirectory = Path.GetFullPath(copy.CacheDirectory);
        return copy;
    }

    private static IReadOnlyList<string> CheckedFileNames(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var names = new List<string>();
        int index = 0;
        foreach (string? name in files)
        {
            if (name is null)
                throw new ArgumentException($"The file name at index {index} is null.", nameof(files));
            HubPathRules.SplitFileName(name, nameof(files));
            if (!names.Contains(name, StringComparer.Ordinal))
                names.Add(name);
            index++;
        }
        if (names.Count == 0)
            throw new ArgumentException("No file names were given; name at least one file to download.", nameof(files));
        return names;
    }

    private static async Task<string> DownloadFilesAsync(SnapshotDownload download, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        foreach (string name in names)
            await download.FetchAsync(name, required: true, cancellationToken).ConfigureAwait(false);
        return download.SnapshotFolder;
    }

    private static async Task<string> DownloadModelFolderAsync(SnapshotDownload download, CancellationToken cancellationToken)
    {
        await ModelFolderDownload.RunAsync(download, cancellationToken).ConfigureAwait(false);
        return download.SnapshotFolder;
    }
}
