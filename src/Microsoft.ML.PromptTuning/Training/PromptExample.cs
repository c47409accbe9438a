namespace Microsoft.ML.PromptTuning.Training;

/// <summary>One labelled row: the texts of the template's placeholders (column name → text) and the label's index in the verbalizer.</summary>
public sealed record PromptExample(IReadOnlyDictionary<string, string?> Texts, int Label);
