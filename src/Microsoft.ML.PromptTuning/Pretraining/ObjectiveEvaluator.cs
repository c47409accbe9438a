using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Evaluates an objective on fixed windows with fixed corruption seeds, in eval mode: comparable across runs.</summary>
public static class ObjectiveEvaluator
{
    /// <summary>Seed base of evaluation corruption; batch <c>b</c> uses <c>EvaluationSeed + b·batchSize</c>.</summary>
    public const long EvaluationSeed = 987_654_321L;

    /// <summary>Mean loss, top-1 accuracy and unigram-baseline accuracy over every predicted token of <paramref name="windows"/>.</summary>
    public static PretrainingEvaluation Evaluate(IPretrainingObjective objective, IReadOnlyList<int[]> windows, int batchSize, int baselineTokenId)
    {
        if (windows.Count == 0)
            throw new ArgumentException("No windows to evaluate.", nameof(windows));
        var model = objective.Model;
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            double lossSum = 0;
            long targets = 0, correct = 0, baseline = 0;
            for (int start = 0; start < windows.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = windows.Skip(start).Take(batchSize).ToList();
                var output = objective.Compute(batch, EvaluationSeed + start, baselineTokenId);
                lossSum += output.Loss.item<float>() * output.Targets;
                targets += output.Targets;
                correct += output.Correct;
                baseline += output.BaselineCorrect;
            }
            return new PretrainingEvaluation(lossSum / targets, (double)correct / targets, (double)baseline / targets, targets);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
