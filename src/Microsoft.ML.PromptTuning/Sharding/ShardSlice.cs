using System.Globalization;

namespace Microsoft.ML.PromptTuning.Sharding;

/// <summary>
/// Slice <see cref="Index"/> (0-based) of <see cref="Count"/> of an ordered list of independent jobs: job <c>j</c> belongs to
/// the slice where <c>j mod Count == Index</c>. Written <c>i/n</c> (Kubernetes' <c>JOB_COMPLETION_INDEX</c> or Slurm's
/// <c>SLURM_ARRAY_TASK_ID</c> with <c>--array=0-(n-1)</c>).
/// </summary>
public readonly record struct ShardSlice
{
    public ShardSlice(int index, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "A shard count must be positive.");
        if (index < 0 || index >= count) throw new ArgumentOutOfRangeException(nameof(index), index, $"A shard index must lie in [0, {count}).");
        (Index, Count) = (index, count);
    }

    public int Index { get; }

    public int Count { get; }

    /// <summary>The whole list (slice 0 of 1).</summary>
    public static ShardSlice All => new(0, 1);

    /// <summary>Parses <c>i/n</c>.</summary>
    public static ShardSlice Parse(string text)
    {
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1 || index >= count)
            throw new FormatException($"Shard '{text}' is not of the form i/n with 0 <= i < n (e.g. 0/4).");
        return new ShardSlice(index, count);
    }

    public bool Includes(int job) => job % Count == Index;

    public override string ToString() => $"{Index}/{Count}";
}
