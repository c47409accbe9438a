namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// A 64-bit hash of text that is the same in every process and on every machine (unlike <see cref="HashCode"/>):
/// FNV-1a over UTF-16 code units, finished with MurmurHash3's 64-bit mixer so every output bit depends on every input bit.
/// </summary>
internal struct StableHash
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    private ulong _state;
    private bool _started;

    /// <summary>Adds the code units of <paramref name="text"/>.</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        if (!_started)
        {
            _state = OffsetBasis;
            _started = true;
        }
        ulong state = _state;
        foreach (char c in text)
            state = (state ^ c) * Prime;
        _state = state;
    }

    /// <summary>The mixed hash of everything appended.</summary>
    public readonly ulong Finish() => Mix(_started ? _state : OffsetBasis);

    /// <summary>The hash of one string.</summary>
    public static ulong Of(ReadOnlySpan<char> text)
    {
        var hash = new StableHash();
        hash.Append(text);
        return hash.Finish();
    }

    /// <summary>MurmurHash3's fmix64: a bijection on 64-bit values with full avalanche.</summary>
    public static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xFF51AFD7ED558CCD;
        value ^= value >> 33;
        value *= 0xC4CEB9FE1A85EC53;
        value ^= value >> 33;
        return value;
    }

    /// <summary>A uniform number in [0, 1) drawn from <paramref name="value"/>'s top 53 bits.</summary>
    public static double ToUnitInterval(ulong value) => (value >> 11) * (1.0 / (1UL << 53));
}
