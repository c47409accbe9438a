using TorchSharp;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Reads a checkpoint split into shards, through its Hugging Face index (<c>model.safetensors.index.json</c> or <c>pytorch_model.bin.index.json</c>).</summary>
/// <remarks>Every shard is opened and checked up front; each tensor is then read from the shard the index's <c>weight_map</c> names.</remarks>
public sealed class ShardedTensorReader : ITensorReader
{
    private readonly string _indexPath;
    private readonly OrderedDictionary<string, ITensorReader> _readerByName;
    private readonly IReadOnlyList<ITensorReader> _shards;

    private ShardedTensorReader(string indexPath, OrderedDictionary<string, ITensorReader> readerByName, IReadOnlyList<ITensorReader> shards)
    {
        _indexPath = indexPath;
        _readerByName = readerByName;
        _shards = shards;
    }

    /// <summary>The index file's path.</summary>
    public string IndexPath => _indexPath;

    /// <summary>The number of shard files.</summary>
    public int ShardCount => _shards.Count;

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => _readerByName.Keys;

    /// <summary>Opens the index at <paramref name="indexPath"/>, reading safetensors shards for <c>*.safetensors.index.json</c>
    /// and <c>torch.save</c> shards for <c>*.bin.index.json</c>.</summary>
    /// <exception cref="ArgumentException">The index's name says neither format.</exception>
    /// <exception cref="CheckpointFormatException">The index or a shard is malformed, or a shard lacks a tensor the index assigns to it.</exception>
    public static ShardedTensorReader Open(string indexPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexPath);
        Func<string, ITensorReader> openShard = indexPath.EndsWith(".safetensors.index.json", StringComparison.OrdinalIgnoreCase)
            ? SafeTensorsReader.Open
            : indexPath.EndsWith(".bin.index.json", StringComparison.OrdinalIgnoreCase)
                ? PyTorchCheckpointReader.Open
                : throw new ArgumentException($"'{indexPath}' is neither a *.safetensors.index.json nor a *.bin.index.json shard index.", nameof(indexPath));
        return Open(indexPath, openShard);
    }

    /// <summary>Opens the index at <paramref name="indexPath"/>, opening each shard file with <paramref name="openShard"/>.</summary>
    /// <exception cref="CheckpointFormatException">The index or a shard is malformed, or a shard lacks a tensor the index assigns to it.</exception>
    public static ShardedTensorReader Open(string indexPath, Func<string, ITensorReader> openShard)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexPath);
        ArgumentNullException.ThrowIfNull(openShard);
        ShardIndex index = ShardIndex.Read(indexPath);
        var readerByPath = new Dictionary<string, ITensorReader>(StringComparer.Ordinal);
        try
        {
            var readerByName = new OrderedDictionary<string, ITensorReader>(StringComparer.Ordinal);
            foreach ((string name, string shardPath) in index.WeightMap)
            {
                if (!readerByPath.TryGetValue(shardPath, out ITensorReader? reader))
                {
                    reader = openShard(shardPath);
                    readerByPath.Add(shardPath, reader);
                }
                if (!reader.Names.Contains(name))
                    throw new CheckpointFormatException(indexPath, $"the index puts '{name}' in shard '{Path.GetFileName(shardPath)}', which does not hold it.");
                readerByName.Add(name, reader);
            }
            return new ShardedTensorReader(indexPath, readerByName, readerByPath.Values.ToArray());
        }
        catch
        {
            foreach (ITensorReader reader in readerByPath.Values)
                reader.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public TensorInfo GetInfo(string name) => Shard(name).GetInfo(name);

    /// <inheritdoc />
    public torch.Tensor Read(string name, torch.ScalarType? dtype = torch.ScalarType.Float32) => Shard(name).Read(name, dtype);

    /// <summary>Closes every shard.</summary>
    public void Dispose()
    {
        foreach (ITensorReader shard in _shards)
            shard.Dispose();
    }

    private ITensorReader Shard(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _readerByName.TryGetValue(name, out ITensorReader? reader)
            ? reader
            : throw new KeyNotFoundException($"{_indexPath} maps no tensor named '{name}'.");
    }
}
