namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Identifies the tokenizer a corpus was built with.</summary>
/// <param name="TypeName">The tokenizer's .NET type (<c>RobertaBpeTokenizer</c>, <c>T5SentencePieceTokenizer</c>, …).</param>
/// <param name="VocabularySize">The id space; every token id in the corpus lies in <c>[0, VocabularySize)</c>.</param>
/// <param name="EosId">The end-of-sequence id written after each document.</param>
/// <param name="Fingerprint">A hash of the ids the tokenizer gives a fixed probe text, telling apart tokenizers with equal
/// vocabulary sizes.</param>
public sealed record CorpusTokenizerInfo(string TypeName, int VocabularySize, int EosId, string Fingerprint);
