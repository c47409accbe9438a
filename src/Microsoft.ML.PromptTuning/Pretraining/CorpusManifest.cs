using System.Text.Json.Serialization;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>
/// The description of a built corpus, stored as <c>corpus.json</c> beside its token files and written last: the inputs it was
/// built from (sources with sizes and times, tokenizer, split options), their hash, and per-source and per-part counts.
/// </summary>
/// <param name="FormatVersion">The layout version of the corpus folder; a different version is rebuilt.</param>
/// <param name="InputsHash">A hash of everything the token files depend on; the corpus is current when it matches.</param>
/// <param name="CreatedUtc">When the build finished.</param>
/// <param name="Tokenizer">The tokenizer used.</param>
/// <param name="HeldOutFraction">The held-out probability per document.</param>
/// <param name="Seed">The seed of the held-out assignment.</param>
/// <param name="MinimumHeldOutDocumentsPerPart">The held-out floor per part.</param>
/// <param name="Sources">The sources in build order, each with its counts.</param>
/// <param name="ExclusionSources">The sources whose texts were kept out of the corpus.</param>
/// <param name="Parts">The counts per part, in order of first appearance.</param>
/// <param name="Total">The counts of the whole corpus.</param>
public sealed record CorpusManifest(
    int FormatVersion,
    string InputsHash,
    DateTime CreatedUtc,
    CorpusTokenizerInfo Tokenizer,
    double HeldOutFraction,
    int Seed,
    int MinimumHeldOutDocumentsPerPart,
    IReadOnlyList<CorpusManifestSource> Sources,
    IReadOnlyList<CorpusManifestSource> ExclusionSources,
    IReadOnlyList<CorpusPartSummary> Parts,
    CorpusCounts Total)
{
    /// <summary>The folder layout this code writes and reads.</summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>Tokens in <c>train.tokens</c>.</summary>
    [JsonIgnore]
    public long TrainTokenCount => Total.TrainTokens;

    /// <summary>Tokens in <c>heldout.tokens</c>.</summary>
    [JsonIgnore]
    public long HeldOutTokenCount => Total.HeldOutTokens;
}
