using System.Text.Json;

namespace Microsoft.ML.PromptTuning.Checkpoints.Hub;

/// <summary>Lists the shard files named by a sharded checkpoint's index (<c>model.safetensors.index.json</c>).</summary>
internal static class ShardIndexReader
{
    /// <summary>The distinct shard files of the index's <c>weight_map</c>, in order of first appearance, each checked as a file name.</summary>
    public static IReadOnlyList<string> ReadShardFiles(string indexPath, string indexName, HubErrors errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        }
        catch (JsonException exception)
        {
            throw errors.BadFile(indexName, "it is not valid JSON: " + exception.Message, exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out JsonElement weightMap)
                || weightMap.ValueKind != JsonValueKind.Object)
                throw errors.BadFile(indexName, "it has no \"weight_map\" object.");

            var shards = new List<string>();
            foreach (JsonProperty entry in weightMap.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw errors.BadFile(indexName, $"the weight_map entry '{entry.Name}' is not a file name.");
                string shard = entry.Value.GetString()!;
                if (!shards.Contains(shard, StringComparer.Ordinal))
                    shards.Add(CheckedShardName(shard, indexName, errors));
            }
            if (shards.Count == 0)
                throw errors.BadFile(indexName, "its weight_map names no shard files.");
            return shards;
        }
    }

    private static string CheckedShardName(string shard, string indexName, HubErrors errors)
    {
        try
        {
            HubPathRules.SplitFileName(shard, nameof(shard));
            return shard;
        }
        catch (ArgumentException exception)
        {
            throw errors.BadFile(indexName, "it names an unsafe shard file: " + exception.Message, exception);
        }
    }
}
