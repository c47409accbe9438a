using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Writes tensors in the safetensors format, atomically, as one file or as Hugging Face shards with an index.</summary>
/// <remarks>
/// Each tensor keeps its dtype (F32, F16, BF16, I64 …) and is written contiguous, row-major and little-endian. The header lists
/// tensors in name order with contiguous offsets and is padded with spaces to a multiple of 8 bytes, as the reference writer does.
/// </remarks>
public static class SafeTensors
{
    /// <summary>Reads a safetensors file; shorthand for <see cref="SafeTensorsReader.Open"/>.</summary>
    public static SafeTensorsReader Open(string path) => SafeTensorsReader.Open(path);

    /// <summary>Writes <paramref name="tensors"/> (name → tensor of any shape) to <paramref name="path"/>, replacing it atomically.</summary>
    /// <param name="path">The file to write; its folder must exist. A crash mid-write leaves any previous file intact.</param>
    /// <param name="tensors">The named tensors; any device, any layout. They are not disposed.</param>
    /// <param name="metadata">Written as the header's <c>__metadata__</c> when not empty (e.g. <c>format = pt</c>, which transformers expects).</param>
    /// <exception cref="ArgumentException">A name is repeated or reserved, a tensor is null, or its dtype (e.g. complex) cannot be stored.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        OrderedDictionary<string, torch.Tensor> byName = Validate(tensors);
        WriteFile(path, byName, byName.Keys, metadata);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> into <paramref name="modelDirectory"/> as shards of at most <paramref name="maxShardBytes"/>
    /// data bytes (<c>model-00001-of-0000N.safetensors</c> …) plus <c>model.safetensors.index.json</c>, or as a single
    /// <c>model.safetensors</c> when everything fits in one shard.
    /// </summary>
    /// <remarks>
    /// Shards follow the order of <paramref name="tensors"/>; a tensor larger than the limit gets a shard of its own. The index is
    /// written last, and a stale <c>model.safetensors</c> that would shadow it is deleted, so readers never mix two saves.
    /// </remarks>
    /// <returns>The paths written, shards first and the index last.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxShardBytes"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A name is repeated or reserved, a tensor is null, or its dtype cannot be stored.</exception>
    public static IReadOnlyList<string> SaveSharded(string modelDirectory, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors,
        long maxShardBytes, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        OrderedDictionary<string, torch.Tensor> byName = Validate(tensors);
        IReadOnlyList<IReadOnlyList<TensorInfo>> shards = ShardPlan.Split(byName.Select(pair => Describe(pair.Key, pair.Value)), maxShardBytes);
        if (shards.Count == 1)
        {
            string single = Path.Combine(modelDirectory, CheckpointFiles.SafeTensorsWeights);
            WriteFile(single, byName, byName.Keys, metadata);
            return [single];
        }

        var written = new List<string>();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < shards.Count; i++)
        {
            string fileName = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            string shardPath = Path.Combine(modelDirectory, fileName);
            WriteFile(shardPath, byName, shards[i].Select(info => info.Name), metadata);
            written.Add(shardPath);
            foreach (TensorInfo info in shards[i])
                weightMap.Add(info.Name, fileName);
        }
        long totalBytes = shards.SelectMany(shard => shard).Sum(info => info.ByteLength);
        string indexPath = Path.Combine(modelDirectory, CheckpointFiles.SafeTensorsIndex);
        AtomicFile.Write(indexPath, stream => WriteIndex(stream, totalBytes, weightMap));
        written.Add(indexPath);
        File.Delete(Path.Combine(modelDirectory, CheckpointFiles.SafeTensorsWeights));
        return written;
    }

    private static void WriteFile(string path, OrderedDictionary<string, torch.Tensor> byName, IEnumerable<string> names,
        IReadOnlyDictionary<string, string>? metadata)
    {
        IReadOnlyList<SafeTensorsEntry> entries = SafeTensorsHeaderWriter.Layout(names.Select(name => Describe(name, byName[name])));
        byte[] header = SafeTensorsHeaderWriter.Encode(entries, metadata);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            foreach (SafeTensorsEntry entry in entries)
                TensorBytes.WriteTo(byName[entry.Info.Name], stream);
        });
    }

    private static void WriteIndex(Stream stream, long totalBytes, SortedDictionary<string, string> weightMap)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteStartObject("metadata");
        writer.WriteNumber("total_size", totalBytes);
        writer.WriteEndObject();
        writer.WriteStartObject("weight_map");
        foreach ((string name, string file) in weightMap)
            writer.WriteString(name, file);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static OrderedDictionary<string, torch.Tensor> Validate(IEnumerable<KeyValuePair<string, torch.Tensor>> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var byName = new OrderedDictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach ((string name, torch.Tensor tensor) in tensors)
        {
            if (name is null)
                throw new ArgumentException("A tensor name is null.", nameof(tensors));
            if (name == SafeTensorsHeader.MetadataKey)
                throw new ArgumentException($"'{name}' is reserved for the header's metadata and cannot name a tensor.", nameof(tensors));
            if (tensor is null)
                throw new ArgumentException($"Tensor '{name}' is null.", nameof(tensors));
            if (!byName.TryAdd(name, tensor))
                throw new ArgumentException($"Tensor name '{name}' appears twice.", nameof(tensors));
            Describe(name, tensor);
        }
        return byName;
    }

    private static TensorInfo Describe(string name, torch.Tensor tensor)
    {
        TensorDType dtype;
        try
        {
            dtype = tensor.dtype.ToTensorDType();
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException($"Tensor '{name}': {exception.Message}", "tensors", exception);
        }
        return new TensorInfo(name, dtype, tensor.shape);
    }
}
