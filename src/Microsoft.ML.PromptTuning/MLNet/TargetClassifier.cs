using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>Builds the classifier that reads a backbone loaded from a model folder: its tokenizer, a template encoder and a verbalizer.</summary>
internal static class TargetClassifier
{
    /// <param name="backbone">The frozen backbone.</param>
    /// <param name="directory">The folder it was loaded from, which holds its tokenizer.</param>
    /// <param name="template">The template the prompt fills.</param>
    /// <param name="labelWords">The verbalizer's labels and words.</param>
    /// <param name="handling">How multi-token label words are scored.</param>
    /// <param name="maxLength">The longest input; null uses the backbone's.</param>
    public static PromptClassifier Create(LanguageModel backbone, string directory, PromptTemplate template, LabelWords labelWords, MultiTokenHandling handling, int? maxLength)
    {
        var tokenizer = ModelTokenizer.FromDirectory(directory);
        return new PromptClassifier(backbone, new PromptEncoder(template, tokenizer, maxLength ?? backbone.MaxSequenceLength), new Verbalizer(labelWords, tokenizer, handling));
    }

    /// <summary>The default template of the backbone's family: <c>{soft:N}{mask}{text_a}{text_b?}</c> for masked LMs, <c>{soft:N}{text_a}{text_b?}</c> for T5.</summary>
    public static PromptTemplate DefaultTemplate(LanguageModel backbone, int softTokens) =>
        backbone is MaskedLanguageModel ? PromptTemplate.MaskedLmDefault(softTokens) : PromptTemplate.Seq2SeqDefault(softTokens);
}
