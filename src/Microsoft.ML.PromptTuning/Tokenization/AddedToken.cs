namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>A special token recognised when its exact text appears in the input, as Hugging Face's added tokens are.</summary>
/// <param name="Text">The literal text, matched case-sensitively (<c>&lt;mask&gt;</c>, <c>[SEP]</c>, <c>&lt;extra_id_0&gt;</c>).</param>
/// <param name="Id">The id emitted for it.</param>
/// <param name="StripLeft">Whether whitespace just before it is absorbed into the match (RoBERTa's <c>&lt;mask&gt;</c>).</param>
internal readonly record struct AddedToken(string Text, int Id, bool StripLeft = false);
