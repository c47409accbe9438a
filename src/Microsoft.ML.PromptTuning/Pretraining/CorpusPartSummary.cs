namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>The counts of one part of a corpus (all its sources together).</summary>
/// <param name="Part">The part name (<c>gutenberg</c>, <c>wikipedia</c>, <c>sst2</c>, …).</param>
/// <param name="Counts">Its documents, tokens and bytes in train and held-out.</param>
public sealed record CorpusPartSummary(string Part, CorpusCounts Counts);
