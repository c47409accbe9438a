namespace Microsoft.ML.PromptTuning.Transfer.Indicators;

/// <summary>One transferability indicator for every (source prompt, target task's own prompt) pair: <c>Values[source][target]</c>.</summary>
public sealed record IndicatorMatrix(string Name, string Description, IReadOnlyList<string> Sources, IReadOnlyList<string> Targets, IReadOnlyList<IReadOnlyList<double>> Values);
