namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>A progress report: the step just finished, its loss (mean of the last reports' window), throughput and schedule.</summary>
public sealed record PretrainingProgress(int Step, int TotalSteps, double Loss, double TokensPerSecond, double LearningRate, TimeSpan Elapsed);
