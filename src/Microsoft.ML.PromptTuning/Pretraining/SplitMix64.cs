namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 generator: tiny, fast and, unlike <see cref="Random"/>, specified exactly, so a seed
/// gives the same sequence on every runtime version and machine.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in <c>[0, bound)</c>, without modulo bias (Lemire's multiply-and-reject method).</summary>
    public ulong NextBelow(ulong bound)
    {
        ulong product = Math.BigMul(Next(), bound, out ulong low);
        if (low < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (low < threshold)
                product = Math.BigMul(Next(), bound, out low);
        }
        return product;
    }
}
