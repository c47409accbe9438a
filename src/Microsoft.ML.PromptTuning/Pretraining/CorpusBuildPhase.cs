namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>The stages of <see cref="CorpusBuilder.Build"/>, in order.</summary>
public enum CorpusBuildPhase
{
    /// <summary>Reading every source to normalise, deduplicate and assign documents to train or held-out.</summary>
    Scanning,

    /// <summary>Reading the sources again and writing the tokens of the kept documents.</summary>
    Tokenizing,

    /// <summary>The corpus is in place (built now, or found current and reused).</summary>
    Completed,
}
