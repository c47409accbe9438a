namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>A progress report of <see cref="CorpusBuilder.Build"/>.</summary>
/// <param name="Phase">The stage the build is in.</param>
/// <param name="Source">The path of the source being read, or null once the build is complete.</param>
/// <param name="Documents">Documents read so far (scanning) or documents tokenized so far (tokenizing).</param>
/// <param name="TotalDocuments">Documents to tokenize (known after scanning; 0 while scanning).</param>
/// <param name="Bytes">UTF-8 bytes of normalised text handled so far in this phase.</param>
/// <param name="TotalBytes">Bytes to tokenize (known after scanning; 0 while scanning).</param>
/// <param name="Tokens">Tokens written so far, end-of-sequence tokens included.</param>
public sealed record CorpusBuildProgress(
    CorpusBuildPhase Phase, string? Source, long Documents, long TotalDocuments, long Bytes, long TotalBytes, long Tokens)
{
    /// <summary>The finished fraction of the current phase in [0, 1]; 0 while scanning, whose total is unknown.</summary>
    public double Fraction => TotalBytes > 0 ? Math.Min(1.0, (double)Bytes / TotalBytes) : Phase == CorpusBuildPhase.Completed ? 1.0 : 0.0;
}
