using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>Longest-first truncation of any number of texts (Hugging Face's <c>longest_first</c> generalised).</summary>
internal static class TextTruncation
{
    /// <summary>
    /// Removes tokens from the end of the currently longest text (the later one on ties) until all together hold at most
    /// <paramref name="budget"/> tokens; one or two texts go through <see cref="SequenceTruncation.TruncateLongestFirst"/>,
    /// which this rule extends. The lists are shortened in place.
    /// </summary>
    /// <returns>The number of tokens removed.</returns>
    public static int LongestFirst(IReadOnlyList<List<int>> texts, int budget)
    {
        switch (texts.Count)
        {
            case 0:
                return 0;
            case 1:
                return SequenceTruncation.TruncateLongestFirst(texts[0], null, budget);
            case 2:
                return SequenceTruncation.TruncateLongestFirst(texts[0], texts[1], budget);
        }
        int excess = texts.Sum(t => t.Count) - budget;
        for (int removed = 0; removed < excess; removed++)
        {
            int longest = 0;
            for (int i = 1; i < texts.Count; i++)
                if (texts[i].Count >= texts[longest].Count)
                    longest = i;
            texts[longest].RemoveAt(texts[longest].Count - 1);
        }
        return Math.Max(excess, 0);
    }
}
