namespace Microsoft.ML.PromptTuning.Training;

/// <summary>Progress of prompt training after a step: its loss (running mean), the latest validation metric and the best so far.</summary>
public sealed record SoftPromptTrainingProgress(int Step, int MaxSteps, double Loss, double? ValidationMetric, double? BestValidationMetric, TimeSpan Elapsed);
