using System.Text.Json;

namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>A validated Hugging Face shard index (<c>*.index.json</c>): which shard file, in the index's folder, holds each tensor.</summary>
internal sealed class ShardIndex
{
    /// <summary>The largest index file accepted (100 MB).</summary>
    public const long MaxIndexBytes = 100_000_000;

    private ShardIndex(OrderedDictionary<string, string> weightMap) => WeightMap = weightMap;

    /// <summary>Tensor name → full path of the shard holding it, in index order.</summary>
    public OrderedDictionary<string, string> WeightMap { get; }

    /// <summary>Reads <paramref name="indexPath"/> and checks that every shard is a plain file name that exists beside it.</summary>
    /// <exception cref="CheckpointFormatException">The index is not JSON, has no <c>weight_map</c>, names a path outside its folder, or a shard is missing.</exception>
    public static ShardIndex Read(string indexPath)
    {
        string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(indexPath))!;
        var weightMap = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var stream = new FileStream(indexPath, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxIndexBytes)
                throw new CheckpointFormatException(indexPath, $"the index is {stream.Length} bytes, over the {MaxIndexBytes}-byte limit.");
            using JsonDocument document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out JsonElement map)
                || map.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException(indexPath, "the index has no 'weight_map' object.");
            var checkedShards = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new CheckpointFormatException(indexPath, $"weight_map entry '{entry.Name}' is a JSON {entry.Value.ValueKind}, not a file name.");
                string shard = entry.Value.GetString()!;
                if (!checkedShards.TryGetValue(shard, out string? shardPath))
                {
                    shardPath = ShardPath(indexPath, folder, shard);
                    checkedShards.Add(shard, shardPath);
                }
                if (!weightMap.TryAdd(entry.Name, shardPath))
                    throw new CheckpointFormatException(indexPath, $"weight_map lists '{entry.Name}' twice.");
            }
        }
        catch (JsonException exception)
        {
            throw new CheckpointFormatException(indexPath, $"the index is not valid JSON: {exception.Message}", exception);
        }
        return new ShardIndex(weightMap);
    }

    private static string ShardPath(string indexPath, string folder, string shard)
    {
        // Shards must sit beside the index: a name with a directory part could point anywhere (e.g. "../../etc/passwd").
        bool plainName = shard.Length > 0 && shard != "." && shard != ".."
            && shard.IndexOfAny(['/', '\\', ':', '\0']) < 0 && System.IO.Path.GetFileName(shard) == shard;
        if (!plainName)
            throw new CheckpointFormatException(indexPath, $"shard '{shard}' is not a plain file name in the index's folder.");
        string path = System.IO.Path.Combine(folder, shard);
        if (!File.Exists(path))
            throw new CheckpointFormatException(indexPath, $"shard '{shard}' listed in the index does not exist in {folder}.");
        return path;
    }
}
