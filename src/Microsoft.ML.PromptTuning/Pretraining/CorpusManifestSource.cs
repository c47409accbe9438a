namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>One source file of a corpus as it was when the corpus was built, with what became of its documents.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Part">The part it belongs to.</param>
/// <param name="Fields">The fields or columns read; empty for <c>.txt</c>.</param>
/// <param name="Length">The file's size in bytes at build time.</param>
/// <param name="LastWriteTimeUtc">The file's modification time at build time.</param>
/// <param name="Counts">What became of its documents (for an exclusion source: only documents read and empty ones).</param>
public sealed record CorpusManifestSource(
    string Path, string Part, IReadOnlyList<string> Fields, long Length, DateTime LastWriteTimeUtc, CorpusCounts Counts);
