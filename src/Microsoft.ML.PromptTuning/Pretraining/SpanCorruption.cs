namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// T5's span corruption of one token window: about <c>noiseDensity</c> of the tokens, in spans of mean length
/// <c>meanSpanLength</c>, are cut out; the input keeps the rest with one sentinel per span, the target lists each sentinel
/// followed by its span. Both end with <c>&lt;/s&gt;</c>.
/// </summary>
public static class SpanCorruption
{
    /// <summary>Corrupts <paramref name="tokens"/>; <paramref name="sentinelId"/> maps span k to its sentinel (<c>&lt;extra_id_k&gt;</c>).</summary>
    public static (int[] Input, int[] Target) Corrupt(ReadOnlySpan<int> tokens, Random random, Func<int, int> sentinelId, int eosId,
        double noiseDensity = 0.15, double meanSpanLength = 3.0)
    {
        bool[] noise = NoiseMask(tokens.Length, random, noiseDensity, meanSpanLength);
        var input = new List<int>(tokens.Length);
        var target = new List<int>(tokens.Length / 4 + 4);
        int span = -1;
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!noise[i])
            {
                input.Add(tokens[i]);
                continue;
            }
            if (i == 0 || !noise[i - 1])
            {
                span++;
                input.Add(sentinelId(span));
                target.Add(sentinelId(span));
            }
            target.Add(tokens[i]);
        }
        input.Add(eosId);
        target.Add(eosId);
        return (input.ToArray(), target.ToArray());
    }

    /// <summary>
    /// The noise mask as in T5's <c>random_spans_noise_mask</c>: the noise and non-noise token counts are each split at random
    /// into the same number of spans, which then alternate, starting with non-noise.
    /// </summary>
    public static bool[] NoiseMask(int length, Random random, double noiseDensity, double meanSpanLength)
    {
        if (length < 2)
            return new bool[length];
        int noiseTokens = (int)Math.Round(length * noiseDensity);
        noiseTokens = Math.Clamp(noiseTokens, 1, length - 1);
        // Both segmentations need a token per span: dense noise leaves few kept tokens to alternate with.
        int spans = Math.Clamp((int)Math.Round(noiseTokens / meanSpanLength), 1, Math.Min(noiseTokens, length - noiseTokens));
        int[] noiseSpans = RandomSegmentation(noiseTokens, spans, random);
        int[] keepSpans = RandomSegmentation(length - noiseTokens, spans, random);
        var mask = new bool[length];
        int position = 0;
        for (int s = 0; s < spans; s++)
        {
            position += keepSpans[s];
            for (int i = 0; i < noiseSpans[s]; i++)
                mask[position++] = true;
        }
        return mask;
    }

    /// <summary>Splits <paramref name="items"/> into <paramref name="segments"/> non-empty parts of random lengths.</summary>
    private static int[] RandomSegmentation(int items, int segments, Random random)
    {
        segments = Math.Min(segments, items);
        // Choose segments-1 distinct cut points among the items-1 gaps.
        var gaps = Enumerable.Range(1, items - 1).ToArray();
        for (int i = 0; i < segments - 1; i++)
        {
            int j = random.Next(i, gaps.Length);
            (gaps[i], gaps[j]) = (gaps[j], gaps[i]);
        }
        var cuts = gaps.Take(segments - 1).Order().ToList();
        var lengths = new int[segments];
        int previous = 0;
        for (int i = 0; i < segments - 1; i++)
        {
            lengths[i] = cuts[i] - previous;
            previous = cuts[i];
        }
        lengths[segments - 1] = items - previous;
        return lengths;
    }
}
