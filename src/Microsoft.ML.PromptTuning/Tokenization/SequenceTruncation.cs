namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>Truncation of encoded sequences to a token budget, with Hugging Face's strategies.</summary>
public static class SequenceTruncation
{
    /// <summary>
    /// Hugging Face's <c>longest_first</c>: removes tokens from the end of the longer sequence one at a time (from
    /// <paramref name="second"/> when both are equally long) until the two together hold at most <paramref name="maxTokens"/>.
    /// The lists are shortened in place; the budget excludes the special tokens (see <see cref="ModelTokenizer.SpecialTokenCount"/>).
    /// </summary>
    /// <returns>The number of tokens removed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is negative.</exception>
    public static int TruncateLongestFirst(List<int> first, List<int>? second, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        int secondCount = second?.Count ?? 0;
        int excess = first.Count + secondCount - maxTokens;
        if (excess <= 0)
            return 0;
        // Removing one token at a time from the longer side first evens the lengths, then alternates, the second side
        // taking the odd token, which is this closed form (transformers' truncate_sequences).
        int evening = Math.Min(Math.Abs(first.Count - secondCount), excess);
        int alternating = excess - evening;
        int fromFirst = first.Count > secondCount ? evening + alternating / 2 : alternating / 2;
        int fromSecond = excess - fromFirst;
        first.RemoveRange(first.Count - fromFirst, fromFirst);
        second?.RemoveRange(secondCount - fromSecond, fromSecond);
        return excess;
    }
}
