namespace Microsoft.ML.PromptTuning.Tasks;

/// <summary>What a task reports: accuracy always, F1 of the positive label too where the paper reports it (MRPC, QQP).</summary>
public enum TaskMetric
{
    Accuracy,

    AccuracyAndF1,
}
