using System.Globalization;
using System.Text;
using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// Everything a corpus's token files depend on, fixed when a build starts: sources and exclusion sources with their file
/// stamps, the tokenizer's identity and the split options; <see cref="Hash"/> condenses them for the cache check.
/// </summary>
internal sealed class CorpusInputs
{
    // Mixed scripts, digits, punctuation and an emoji so that different vocabularies give different ids.
    private const string TokenizerProbe =
        "Pre-training probe: naïve café owners paid $1,234.56 for 7 \"unbelievably\" quick foxes; it's Ünïcödé — 日本語, ελληνικά 😀!";

    private CorpusInputs(IReadOnlyList<CorpusSource> sources, IReadOnlyList<CorpusSource> exclusions, CorpusTokenizerInfo tokenizer,
        double heldOutFraction, int seed, int minimumHeldOut)
    {
        Sources = sources;
        Exclusions = exclusions;
        SourceStamps = sources.Select(SourceFileStamp.Of).ToArray();
        ExclusionStamps = exclusions.Select(SourceFileStamp.Of).ToArray();
        Tokenizer = tokenizer;
        HeldOutFraction = heldOutFraction;
        Seed = seed;
        MinimumHeldOutDocumentsPerPart = minimumHeldOut;
        Hash = ComputeHash();
    }

    public IReadOnlyList<CorpusSource> Sources { get; }

    public IReadOnlyList<CorpusSource> Exclusions { get; }

    public IReadOnlyList<SourceFileStamp> SourceStamps { get; }

    public IReadOnlyList<SourceFileStamp> ExclusionStamps { get; }

    public CorpusTokenizerInfo Tokenizer { get; }

    public double HeldOutFraction { get; }

    public int Seed { get; }

    public int MinimumHeldOutDocumentsPerPart { get; }

    /// <summary>16 hex digits identifying these inputs.</summary>
    public string Hash { get; }

    /// <summary>Snapshots the inputs of a build.</summary>
    /// <exception cref="FileNotFoundException">A source or exclusion file does not exist.</exception>
    public static CorpusInputs Describe(IReadOnlyList<CorpusSource> sources, ModelTokenizer tokenizer, CorpusBuildOptions options) =>
        new(sources, options.ExclusionSources.ToArray(), Identify(tokenizer),
            options.HeldOutFraction, options.Seed, options.MinimumHeldOutDocumentsPerPart);

    /// <summary>Throws when a file changed since <see cref="Describe"/>, so a build never records stamps its tokens do not match.</summary>
    /// <exception cref="IOException">A source file was modified, replaced or removed during the build.</exception>
    public void EnsureUnchanged()
    {
        foreach ((CorpusSource source, SourceFileStamp stamp) in Sources.Concat(Exclusions).Zip(SourceStamps.Concat(ExclusionStamps)))
            if (SourceFileStamp.Of(source) != stamp)
                throw new IOException($"Corpus source {source.Path} changed while the corpus was being built; build again.");
    }

    private static CorpusTokenizerInfo Identify(ModelTokenizer tokenizer)
    {
        var probe = new StableHash();
        foreach (int id in tokenizer.EncodeText(TokenizerProbe))
            probe.Append(id.ToString(CultureInfo.InvariantCulture) + ",");
        return new CorpusTokenizerInfo(tokenizer.GetType().Name, tokenizer.VocabularySize, tokenizer.Special.EosId,
            probe.Finish().ToString("x16", CultureInfo.InvariantCulture));
    }

    private string ComputeHash()
    {
        var text = new StringBuilder();
        // Length-prefixed so that no two different input lists give the same text.
        void Add(object value)
        {
            string item = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            text.Append(item.Length).Append(':').Append(item).Append(';');
        }
        Add(CorpusManifest.CurrentFormatVersion);
        Add(Tokenizer.TypeName);
        Add(Tokenizer.VocabularySize);
        Add(Tokenizer.EosId);
        Add(Tokenizer.Fingerprint);
        Add(HeldOutFraction.ToString("R", CultureInfo.InvariantCulture));
        Add(Seed);
        Add(MinimumHeldOutDocumentsPerPart);
        foreach ((string kind, IReadOnlyList<CorpusSource> list, IReadOnlyList<SourceFileStamp> stamps) in
                 new[] { ("source", Sources, SourceStamps), ("exclusion", Exclusions, ExclusionStamps) })
        {
            for (int i = 0; i < list.Count; i++)
            {
                Add(kind);
                Add(stamps[i].FullPath);
                Add(list[i].Part);
                Add(string.Join('\u001f', list[i].Fields));
                Add(stamps[i].Length);
                Add(stamps[i].LastWriteTimeUtc.Ticks);
            }
        }
        return StableHash.Of(text.ToString()).ToString("x16", CultureInfo.InvariantCulture);
    }
}
