namespace Microsoft.ML.PromptTuning.Sweeping;

/// <summary>
/// One trial of a sweep: its parameters, the best validation metric it reached, the steps and wall time it used, and
/// whether successive halving stopped it early or it failed (e.g. a learning rate that made the loss diverge).
/// </summary>
public sealed record SweepTrial(int Number, IReadOnlyDictionary<string, string> Parameters, double? Metric, int Steps, double Seconds, bool Pruned, string? Error = null);
