namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>Groups rows of similar length into batches so each batch pads only to its own longest row.</summary>
public static class LengthBuckets
{
    /// <summary>Row indices sorted by length (stable), cut into batches of at most <paramref name="batchSize"/>.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Order(IReadOnlyList<EncodedPrompt> rows, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var sorted = Enumerable.Range(0, rows.Count).OrderBy(i => rows[i].Length).ToArray();
        return sorted.Chunk(batchSize).Select(c => (IReadOnlyList<int>)c).ToList();
    }
}
