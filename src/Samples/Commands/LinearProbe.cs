using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.PromptTuning.MLNet;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary>
/// A linear probe of a fitted soft prompt: ML.NET's L-BFGS maximum-entropy classifier trained on the prompt's mask
/// representation of the training rows. It reads the same frozen state as the verbalizer, but with a free linear map instead
/// of the LM head's label-word rows, so its accuracy bounds what a better readout of that state could reach; when both sit
/// near the majority share, the backbone's state carries little of the task.
/// </summary>
internal static class LinearProbe
{
    public const string RepresentationColumn = "MaskRepresentation";
    private const string Label = "ProbeLabel", Features = "ProbeFeatures";

    /// <summary>The probe's accuracy on <paramref name="training"/> (its fit) and on <paramref name="test"/>.</summary>
    public static (double Training, double Test) Accuracy(MLContext context, SoftPromptTransformer prompt, IDataView training, IDataView test, string labelColumn)
    {
        // The backbone runs once per row: the cache serves the optimiser's passes over the representations.
        IDataView Representations(IDataView rows)
        {
            var scored = prompt.Transform(rows);
            return context.Data.Cache(context.Transforms.SelectColumns(labelColumn, RepresentationColumn).Fit(scored).Transform(scored));
        }
        var trainingRows = Representations(training);
        var probe = context.Transforms.Conversion.MapValueToKey(Label, labelColumn)
            // Centred: the rows share a large common component, and uncentred scaling leaves the optimiser an ill-conditioned problem.
            .Append(context.Transforms.NormalizeMeanVariance(Features, RepresentationColumn, fixZero: false))
            // Weakly regularised: the probe estimates what a readout could reach, not a classifier to deploy.
            .Append(context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new()
            {
                LabelColumnName = Label, FeatureColumnName = Features, L2Regularization = 1e-3f,
            }))
            .Fit(trainingRows);
        double Score(IDataView rows) => context.MulticlassClassification.Evaluate(probe.Transform(rows), Label).MicroAccuracy;
        return (Score(trainingRows), Score(Representations(test)));
    }
}
