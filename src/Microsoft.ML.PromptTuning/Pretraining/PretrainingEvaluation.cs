namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Held-out (or training) metrics: mean loss, top-1 accuracy on predicted tokens, and the unigram baseline's accuracy.</summary>
public sealed record PretrainingEvaluation(double Loss, double Accuracy, double UnigramBaselineAccuracy, long Targets);
