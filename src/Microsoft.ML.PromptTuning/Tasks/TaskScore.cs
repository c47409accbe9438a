namespace Microsoft.ML.PromptTuning.Tasks;

/// <summary>A task's metrics on a set of rows: accuracy (the primary metric) and, for <see cref="TaskMetric.AccuracyAndF1"/>, F1 of the positive label.</summary>
public sealed record TaskScore(double Accuracy, double? F1, int Rows)
{
    /// <summary>The metric matrices and relative performance are computed from: accuracy.</summary>
    public double Primary => Accuracy;

    /// <summary>Scores predicted label indices against gold label indices; F1 treats <paramref name="positiveLabel"/> as the positive class.</summary>
    public static TaskScore Compute(IReadOnlyList<int> predicted, IReadOnlyList<int> gold, TaskMetric metric, int positiveLabel = 1)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(gold);
        if (predicted.Count != gold.Count)
            throw new ArgumentException($"{predicted.Count} predictions for {gold.Count} gold labels.", nameof(predicted));
        if (gold.Count == 0)
            throw new ArgumentException("No rows to score.", nameof(gold));
        int correct = 0, truePositive = 0, predictedPositive = 0, goldPositive = 0;
        for (int i = 0; i < gold.Count; i++)
        {
            correct += predicted[i] == gold[i] ? 1 : 0;
            predictedPositive += predicted[i] == positiveLabel ? 1 : 0;
            goldPositive += gold[i] == positiveLabel ? 1 : 0;
            truePositive += predicted[i] == positiveLabel && gold[i] == positiveLabel ? 1 : 0;
        }
        double? f1 = metric == TaskMetric.AccuracyAndF1
            ? predictedPositive + goldPositive == 0 ? 0 : 2.0 * truePositive / (predictedPositive + goldPositive)
            : null;
        return new TaskScore((double)correct / gold.Count, f1, gold.Count);
    }
}
