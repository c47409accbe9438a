namespace Microsoft.ML.PromptTuning.Checkpoints;

/// <summary>Splits tensors, in order, into shards of at most a given number of data bytes, as <c>save_pretrained</c> does.</summary>
internal static class ShardPlan
{
    /// <summary>
    /// Consecutive groups of <paramref name="tensors"/> whose byte sizes add up to at most <paramref name="maxShardBytes"/>;
    /// a tensor larger than the limit gets a shard of its own.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<TensorInfo>> Split(IEnumerable<TensorInfo> tensors, long maxShardBytes)
    {
        var shards = new List<IReadOnlyList<TensorInfo>>();
        var current = new List<TensorInfo>();
        long currentBytes = 0;
        foreach (TensorInfo tensor in tensors)
        {
            if (current.Count > 0 && currentBytes + tensor.ByteLength > maxShardBytes)
            {
                shards.Add(current);
                current = [];
                currentBytes = 0;
            }
            current.Add(tensor);
            currentBytes += tensor.ByteLength;
        }
        if (current.Count > 0 || shards.Count == 0)
            shards.Add(current);
        return shards;
    }
}
