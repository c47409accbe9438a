namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>The special-token ids of a model family (null where the family has none).</summary>
/// <param name="PadId">The padding token: <c>&lt;pad&gt;</c>, <c>[PAD]</c>.</param>
/// <param name="BosId">The sequence-start token: <c>&lt;s&gt;</c>, <c>[CLS]</c>; null for T5.</param>
/// <param name="EosId">The sequence-end token: <c>&lt;/s&gt;</c>, <c>[SEP]</c>, T5's <c>&lt;/s&gt;</c>.</param>
/// <param name="MaskId">The masked-language-model token: <c>&lt;mask&gt;</c>, <c>[MASK]</c>; null for T5.</param>
/// <param name="UnknownId">The token for text the vocabulary cannot represent: <c>&lt;unk&gt;</c>, <c>[UNK]</c>.</param>
public sealed record SpecialTokens(int PadId, int? BosId, int EosId, int? MaskId, int? UnknownId);
