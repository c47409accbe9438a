namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>One document read from a <see cref="CorpusSource"/>, its text as found in the file (not yet normalised).</summary>
/// <param name="Paragraphs">The document's paragraphs: the lines of a <c>.txt</c> document, or the single value of a field.</param>
/// <param name="Location">Where the document starts, for messages (<c>line 12</c>, <c>entry "17"</c>).</param>
/// <param name="Field">The field or column the text came from; null for <c>.txt</c>.</param>
public sealed record TextDocument(IReadOnlyList<string> Paragraphs, string Location, string? Field);
