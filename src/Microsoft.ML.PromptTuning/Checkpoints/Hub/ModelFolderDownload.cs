namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>The files a local model folder needs: the config, the weights in the best available format, and the tokenizer.</summary>
internal static class ModelFolderDownload
{
    /// <summary>The model's configuration, always required.</summary>
    public const string Config = "config.json";

    /// <summary>Single-file safetensors weights, preferred.</summary>
    public const string SafeTensors = "model.safetensors";

    /// <summary>The index of sharded safetensors weights, used when there is no single file.</summary>
    public const string SafeTensorsIndex = "model.safetensors.index.json";

    /// <summary>PyTorch pickle weights, when there are no safetensors.</summary>
    public const string PyTorchWeights = "pytorch_model.bin";

    /// <summary>The index of sharded PyTorch pickle weights, the last resort.</summary>
    public const string PyTorchWeightsIndex = "pytorch_model.bin.index.json";

    /// <summary>Tokenizer files of the BPE, WordPiece, SentencePiece and fast tokenizers, each fetched when the repository has it.</summary>
    public static readonly IReadOnlyList<string> TokenizerFiles =
    [
        "vocab.json", "merges.txt", "vocab.txt", "spiece.model", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json",
    ];

    /// <summary>Fetches the config, the weights and whatever tokenizer files exist into the download's snapshot.</summary>
    public static async Task RunAsync(SnapshotDownload download, CancellationToken cancellationToken)
    {
        await download.FetchAsync(Config, required: true, cancellationToken).ConfigureAwait(false);
        await FetchWeightsAsync(download, cancellationToken).ConfigureAwait(false);
        foreach (string file in TokenizerFiles)
            await download.FetchAsync(file, required: false, cancellationToken).ConfigureAwait(false);
    }

    private static async Task FetchWeightsAsync(SnapshotDownload download, CancellationToken cancellationToken)
    {
        if (await download.FetchAsync(SafeTensors, required: false, cancellationToken).ConfigureAwait(false)
            || await FetchShardsAsync(download, SafeTensorsIndex, cancellationToken).ConfigureAwait(false)
            || await download.FetchAsync(PyTorchWeights, required: false, cancellationToken).ConfigureAwait(false)
            || await FetchShardsAsync(download, PyTorchWeightsIndex, cancellationToken).ConfigureAwait(false))
            return;
        throw download.Errors.NoWeights([SafeTensors, SafeTensorsIndex, PyTorchWeights, PyTorchWeightsIndex], download.Offline);
    }

    /// <summary>Fetches a shard index and every shard it names; false when the repository has no such index.</summary>
    private static async Task<bool> FetchShardsAsync(SnapshotDownload download, string index, CancellationToken cancellationToken)
    {
        if (!await download.FetchAsync(index, required: false, cancellationToken).ConfigureAwait(false))
            return false;
        foreach (string shard in ShardIndexReader.ReadShardFiles(download.LocalPath(index), index, download.Errors))
            await download.FetchAsync(shard, required: true, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
