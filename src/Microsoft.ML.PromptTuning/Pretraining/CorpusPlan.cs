namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>The scan's result: every source's planned documents and counts, and the exclusion sources' counts.</summary>
internal sealed class CorpusPlan(IReadOnlyList<SourcePlan> sources, IReadOnlyList<SourcePlan> exclusions)
{
    /// <summary>The corpus sources in build order.</summary>
    public IReadOnlyList<SourcePlan> Sources { get; } = sources;

    /// <summary>The exclusion sources (their documents are not kept; only their counts).</summary>
    public IReadOnlyList<SourcePlan> Exclusions { get; } = exclusions;

    /// <summary>Documents to tokenize, over all sources.</summary>
    public long KeptDocuments => Sources.Sum(plan => plan.Counts.TrainDocuments + plan.Counts.HeldOutDocuments);

    /// <summary>UTF-8 bytes of the documents to tokenize.</summary>
    public long KeptBytes => Sources.Sum(plan => plan.Counts.TrainBytes + plan.Counts.HeldOutBytes);

    /// <summary>The manifest describing the finished build (call once tokens are counted).</summary>
    public CorpusManifest ToManifest(CorpusInputs inputs)
    {
        var parts = new List<CorpusPartSummary>();
        var total = new CorpusCounts();
        foreach (IGrouping<string, SourcePlan> part in Sources.GroupBy(plan => plan.Source.Part, StringComparer.Ordinal))
        {
            var counts = new CorpusCounts();
            foreach (SourcePlan plan in part)
                counts.Add(plan.Counts);
            parts.Add(new CorpusPartSummary(part.Key, counts));
            total.Add(counts);
        }
        return new CorpusManifest(CorpusManifest.CurrentFormatVersion, inputs.Hash, DateTime.UtcNow, inputs.Tokenizer,
            inputs.HeldOutFraction, inputs.Seed, inputs.MinimumHeldOutDocumentsPerPart,
            Sources.Select(plan => plan.ToManifestEntry()).ToArray(), Exclusions.Select(plan => plan.ToManifestEntry()).ToArray(),
            parts, total);
    }
}
