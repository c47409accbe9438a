using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Tokenization;

/// <summary>The tokenizers of <c>../shared/tokenizers</c>, each loaded once for the whole test run.</summary>
internal static class SharedTokenizers
{
    private static readonly Lazy<RobertaBpeTokenizer> LazyRoberta = new(() => RobertaBpeTokenizer.FromFiles(
        Path.Combine(SharedData.Tokenizer("roberta-base"), "vocab.json"),
        Path.Combine(SharedData.Tokenizer("roberta-base"), "merges.txt")));

    private static readonly Lazy<BertWordPieceTokenizer> LazyBert = new(() => BertWordPieceTokenizer.FromFile(
        Path.Combine(SharedData.Tokenizer("bert-base-uncased"), "vocab.txt"), lowerCase: true));

    private static readonly Lazy<T5SentencePieceTokenizer> LazyT5 = new(() => T5SentencePieceTokenizer.FromFile(
        Path.Combine(SharedData.Tokenizer("t5"), "spiece.model")));

    public static RobertaBpeTokenizer Roberta => LazyRoberta.Value;

    public static BertWordPieceTokenizer Bert => LazyBert.Value;

    public static T5SentencePieceTokenizer T5 => LazyT5.Value;

    /// <summary>The tokenizer for a key of <c>tokenizer_expected.json</c>.</summary>
    public static ModelTokenizer ByName(string name) => name switch
    {
        "roberta-base" => Roberta,
        "bert-base-uncased" => Bert,
        "t5" => T5,
        _ => throw new ArgumentException($"No shared tokenizer named '{name}'.", nameof(name)),
    };
}
