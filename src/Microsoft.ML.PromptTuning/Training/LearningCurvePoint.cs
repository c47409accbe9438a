namespace Microsoft.ML.PromptTuning.Training;

/// <summary>One point of a learning curve: step, wall time since the start, mean training loss since the last point, validation metric (when evaluated).</summary>
public sealed record LearningCurvePoint(int Step, double ElapsedSeconds, double TrainingLoss, double? ValidationMetric);
