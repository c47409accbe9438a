namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>Options of <see cref="PromptInitializer.Create"/>.</summary>
public sealed class PromptInitializerOptions
{
    /// <summary>The initialisation mode; <see cref="PromptInitialization.SampledVocabulary"/> by default.</summary>
    public PromptInitialization Mode { get; set; } = PromptInitialization.SampledVocabulary;

    /// <summary>The seed of every random choice; the same seed, backbone and options give the same prompt.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// <see cref="PromptInitialization.RandomNormal"/>'s standard deviation; null (the default) uses the standard deviation of
    /// the backbone's word-embedding matrix, so soft tokens start at the scale of real ones (0.02, BERT's
    /// <c>initializer_range</c>, is a common fixed choice; Lester et al. drew from a small uniform range).
    /// </summary>
    public double? NormalStd { get; set; }

    /// <summary>
    /// <see cref="PromptInitialization.SampledVocabulary"/> draws ids from <c>[0, VocabularySampleSize)</c>, 5,000 by default:
    /// BPE and SentencePiece vocabularies are roughly frequency ordered, so these stand for Lester et al.'s 5,000 most common
    /// tokens. Null samples the whole vocabulary. When a tokenizer is given, its special tokens, BERT's <c>[unusedN]</c> and T5's
    /// sentinels are never drawn.
    /// </summary>
    public int? VocabularySampleSize { get; set; } = 5000;

    /// <summary>The text whose token embeddings <see cref="PromptInitialization.FromText"/> copies (e.g. a task description).</summary>
    public string? Text { get; set; }

    /// <summary>The prompt <see cref="PromptInitialization.FromPrompt"/> copies; its hidden size and length must match.</summary>
    public SoftPrompt? Source { get; set; }

    internal PromptInitializerOptions Clone() => (PromptInitializerOptions)MemberwiseClone();
}
