namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Options of <see cref="CorpusBuilder.Build"/>.</summary>
public sealed class CorpusBuildOptions
{
    /// <summary>The probability that a document is held out for evaluation, drawn per document from a hash of its text and
    /// <see cref="Seed"/>, so the split does not depend on file order. In [0, 1); default 0.01.</summary>
    public double HeldOutFraction { get; set; } = 0.01;

    /// <summary>Changes which documents are held out; the same seed and text always give the same split. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// Each part keeps at least this many held-out documents when <see cref="HeldOutFraction"/> is positive: a part whose
    /// random draw held out fewer moves its training documents with the lowest hash scores (a text-only order) to held-out,
    /// always leaving it at least one training document. Parts of few large documents (130 Gutenberg books) need it: at 1 %
    /// the plain draw leaves them without held-out text about a quarter of the time. Default 1; 0 turns it off.
    /// </summary>
    public int MinimumHeldOutDocumentsPerPart { get; set; } = 1;

    /// <summary>How many threads tokenize at once; default <see cref="Environment.ProcessorCount"/>. The output does not
    /// depend on it.</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Sources whose documents must not enter the corpus, such as the evaluation splits of the downstream tasks: a document
    /// whose normalised text equals one of theirs is dropped (exact matches only). Their text is hashed, never written.
    /// Default none.
    /// </summary>
    public IReadOnlyList<CorpusSource> ExclusionSources { get; set; } = [];

    /// <summary>Checks every option; the message names the one at fault.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option lies outside its range.</exception>
    /// <exception cref="ArgumentNullException"><see cref="ExclusionSources"/> is or holds null.</exception>
    internal void Validate()
    {
        if (!(HeldOutFraction >= 0 && HeldOutFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(HeldOutFraction), HeldOutFraction, $"{nameof(HeldOutFraction)} must lie in [0, 1).");
        if (MinimumHeldOutDocumentsPerPart < 0)
            throw new ArgumentOutOfRangeException(nameof(MinimumHeldOutDocumentsPerPart), MinimumHeldOutDocumentsPerPart,
                $"{nameof(MinimumHeldOutDocumentsPerPart)} must not be negative.");
        if (MaxDegreeOfParallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism,
                $"{nameof(MaxDegreeOfParallelism)} must be at least 1.");
        if (ExclusionSources is null || ExclusionSources.Any(source => source is null))
            throw new ArgumentNullException(nameof(ExclusionSources), $"{nameof(ExclusionSources)} must be a list of sources without nulls.");
    }
}
