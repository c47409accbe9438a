namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>How a <see cref="Verbalizer"/> scores a label word that the tokenizer splits into several tokens.</summary>
public enum MultiTokenHandling
{
    /// <summary>Only the word's first token counts (its log-probability is the word's score).</summary>
    First,

    /// <summary>The mean of the word's tokens' log-probabilities: all read at the mask position for masked LMs
    /// (OpenPrompt's <c>mean</c>), each at its own teacher-forced decoder step for encoder-decoder models.</summary>
    Mean,
}
