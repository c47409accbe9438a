namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>How <see cref="PromptInitializer"/> fills a new soft prompt.</summary>
public enum PromptInitialization
{
    /// <summary>Independent normal values, mean 0 and standard deviation <see cref="PromptInitializerOptions.NormalStd"/>.</summary>
    RandomNormal,

    /// <summary>Rows of the word-embedding matrix at random token ids (Lester et al.'s sampled-vocabulary initialisation).</summary>
    SampledVocabulary,

    /// <summary>The embeddings of <see cref="PromptInitializerOptions.Text"/>'s tokens, cycled to the prompt length (PEFT's <c>TEXT</c>).</summary>
    FromText,

    /// <summary>A copy of <see cref="PromptInitializerOptions.Source"/>'s embeddings: the prompt-transfer starting point.</summary>
    FromPrompt,
}
