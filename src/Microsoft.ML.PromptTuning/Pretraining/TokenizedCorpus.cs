namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// A built corpus: two memory-mapped streams of token ids (train and held-out) in which documents are packed back to back,
/// each followed by the end-of-sequence id, as in RoBERTa's FULL-SENTENCES input format. Fixed-length windows cut from a
/// stream serve as training examples; reads are thread-safe.
/// </summary>
public sealed class TokenizedCorpus : IDisposable
{
    private readonly TokenFile _train;
    private readonly TokenFile _heldOut;
    private readonly Lazy<long[]> _trainUnigrams;
    private readonly Lazy<long[]> _heldOutUnigrams;

    private TokenizedCorpus(string directory, CorpusManifest manifest, TokenFile train, TokenFile heldOut)
    {
        Directory = directory;
        Manifest = manifest;
        _train = train;
        _heldOut = heldOut;
        _trainUnigrams = new(() => train.CountIds(manifest.Tokenizer.VocabularySize));
        _heldOutUnigrams = new(() => heldOut.CountIds(manifest.Tokenizer.VocabularySize));
    }

    /// <summary>The corpus folder.</summary>
    public string Directory { get; }

    /// <summary>The corpus description: inputs, tokenizer and per-source and per-part counts.</summary>
    public CorpusManifest Manifest { get; }

    /// <summary>Tokens in the training stream, end-of-sequence tokens included.</summary>
    public long TrainTokenCount => _train.Count;

    /// <summary>Tokens in the held-out stream, end-of-sequence tokens included.</summary>
    public long HeldOutTokenCount => _heldOut.Count;

    /// <summary>Opens the corpus in <paramref name="directory"/> without checking that it is current (see
    /// <see cref="CorpusBuilder.Build"/> for that).</summary>
    /// <exception cref="FileNotFoundException">The folder holds no manifest or lacks a token file.</exception>
    /// <exception cref="CorpusFormatException">The manifest is malformed or of another version, or a token file's size does
    /// not match it.</exception>
    public static TokenizedCorpus Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        CorpusManifest manifest = CorpusManifestFile.Read(CorpusDirectory.Manifest(directory));
        TokenFile train = TokenFile.Open(CorpusDirectory.TokenFile(directory, CorpusSplit.Train), manifest.TrainTokenCount);
        try
        {
            TokenFile heldOut = TokenFile.Open(CorpusDirectory.TokenFile(directory, CorpusSplit.HeldOut), manifest.HeldOutTokenCount);
            return new TokenizedCorpus(directory, manifest, train, heldOut);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>Opens the corpus in <paramref name="directory"/> if it was built from inputs with hash
    /// <paramref name="inputsHash"/> and is complete; otherwise null.</summary>
    internal static TokenizedCorpus? TryOpenCurrent(string directory, string inputsHash)
    {
        string manifestPath = CorpusDirectory.Manifest(directory);
        if (!File.Exists(manifestPath))
            return null;
        try
        {
            if (CorpusManifestFile.Read(manifestPath).InputsHash != inputsHash)
                return null;
            return Open(directory);
        }
        catch (IOException)
        {
            // Malformed, foreign or incomplete: not trusted, so it is rebuilt.
            return null;
        }
    }

    /// <summary>The number of tokens in <paramref name="split"/>.</summary>
    public long TokenCount(CorpusSplit split) => TokensOf(split).Count;

    /// <summary>The number of whole, non-overlapping windows of <paramref name="length"/> tokens in <paramref name="split"/>;
    /// the last <c>TokenCount % length</c> tokens belong to none.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive.</exception>
    public long WindowCount(CorpusSplit split, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return TokensOf(split).Count / length;
    }

    /// <summary>Copies window <paramref name="index"/> (tokens <c>[index·length, (index+1)·length)</c>) of
    /// <paramref name="split"/> into the first <paramref name="length"/> ids of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is not positive or the index is not below
    /// <see cref="WindowCount"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="length"/>.</exception>
    public void ReadWindow(CorpusSplit split, long index, int length, Span<int> destination)
    {
        long count = WindowCount(split, length);
        if (index < 0 || index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"Window {index} of length {length} does not exist; the {split} split has {count} windows.");
        if (destination.Length < length)
            throw new ArgumentException($"The destination holds {destination.Length} ids; a window needs {length}.", nameof(destination));
        TokensOf(split).Read(index * length, destination[..length]);
    }

    /// <summary>Copies the tokens of <paramref name="split"/> starting at <paramref name="start"/> into all of
    /// <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range runs outside the split.</exception>
    public void ReadTokens(CorpusSplit split, long start, Span<int> destination) => TokensOf(split).Read(start, destination);

    /// <summary>
    /// A permutation of <c>[0, WindowCount(split, length))</c> that depends only on the window count,
    /// <paramref name="seed"/> and <paramref name="epoch"/> (Fisher–Yates driven by SplitMix64), so a resumed run replays the
    /// same order.
    /// </summary>
    public long[] ShuffledWindowOrder(CorpusSplit split, int length, int seed, int epoch)
    {
        long count = WindowCount(split, length);
        if (count > Array.MaxLength)
            throw new InvalidOperationException($"The {split} split has {count} windows of length {length}, more than an array holds.");
        var order = new long[count];
        for (long i = 0; i < order.Length; i++)
            order[i] = i;
        var random = new SplitMix64(StableHash.Mix(((ulong)(uint)seed << 32) | (uint)epoch));
        for (long i = order.Length - 1; i > 0; i--)
        {
            long j = (long)random.NextBelow((ulong)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>How often each token id occurs in <paramref name="split"/>: an array of <c>VocabularySize</c> counts summing to
    /// <see cref="TokenCount"/> (computed once per split, then copied).</summary>
    /// <exception cref="CorpusFormatException">A token id lies outside the vocabulary.</exception>
    public long[] UnigramCounts(CorpusSplit split) =>
        (long[])(split == CorpusSplit.Train ? _trainUnigrams : _heldOutUnigrams).Value.Clone();

    /// <summary>Unmaps the token files.</summary>
    public void Dispose()
    {
        _train.Dispose();
        _heldOut.Dispose();
    }

    private TokenFile TokensOf(CorpusSplit split) => split switch
    {
        CorpusSplit.Train => _train,
        CorpusSplit.HeldOut => _heldOut,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown corpus split."),
    };
}
