using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Sweeping;
using Microsoft.ML.PromptTuning.MLNet.Persistence;
using Microsoft.ML.PromptTuning.Transfer;

namespace Microsoft.ML.PromptTuning;

/// <summary>The prompt-tuning operations of an <see cref="MLContext"/>: <c>mlContext.PromptTuning()</c>.</summary>
public sealed class PromptTuningCatalog
{
    internal PromptTuningCatalog(MLContext context)
    {
        Context = context;
        // Saved soft-prompt models hold this assembly's CustomMapping scorers: make them loadable in this context.
        context.ComponentCatalog.RegisterAssembly(typeof(PromptTuningCatalog).Assembly);
    }

    internal MLContext Context { get; }

    /// <summary>Trains a soft prompt on a frozen backbone (see <see cref="SoftPromptOptions"/>).</summary>
    public SoftPromptEstimator SoftPrompt(SoftPromptOptions options) => new(Context, options);

    /// <summary>Trains a soft prompt with defaults: <paramref name="backbone"/> folder or hub id, one text column and the label.</summary>
    public SoftPromptEstimator SoftPrompt(string backbone, string textColumnName = "Text", string labelColumnName = "Label", int promptLength = 100) =>
        new(Context, new SoftPromptOptions { Backbone = backbone, TextColumnNames = [textColumnName], LabelColumnName = labelColumnName, PromptLength = promptLength });

    /// <summary>Searches prompt-tuning hyperparameters (random/grid, optional successive halving; see <see cref="SoftPromptSweeperOptions"/>).</summary>
    public SoftPromptSweeper Sweeper(SoftPromptSweeperOptions options) => new(Context, options);

    /// <summary>Trains a projector moving a source model's prompt to a target model (see <see cref="PromptProjectorOptions"/>).</summary>
    public PromptProjectorEstimator PromptProjector(PromptProjectorOptions options) => new(Context, options);

    /// <summary>
    /// The soft prompt inside a model saved from a <see cref="SoftPromptTransformer"/> (or a projector) and loaded with
    /// <c>mlContext.Model.Load</c>, as a live transformer on the device the context selects: batched <c>Transform</c> and the
    /// trained model's schema, so that <c>MulticlassClassification.Evaluate</c> accepts its <c>Score</c> (the loaded chain's
    /// <c>Score</c> has no fixed size: ML.NET's <c>CustomMapping</c> reload does not keep vector sizes).
    /// </summary>
    /// <exception cref="ArgumentException">The model holds no soft prompt.</exception>
    /// <exception cref="InvalidDataException">The stored prompt is corrupt, or the backbone is not the one it was trained on.</exception>
    public SoftPromptTransformer LoadSoftPrompt(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return SavedSoftPrompt.Load(Context, model);
    }

    /// <summary>The projector inside a model saved from a <see cref="PromptProjectorTransformer"/> and loaded with <c>mlContext.Model.Load</c>.</summary>
    /// <exception cref="ArgumentException">The model holds no projector.</exception>
    /// <exception cref="InvalidDataException">The stored projector or prompt is corrupt, or the target backbone is not the one it was trained for.</exception>
    public PromptProjectorTransformer LoadPromptProjector(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return SavedProjector.Load(Context, model);
    }

    /// <summary>Cross-task prompt transfer and transferability indicators on one frozen backbone (see <see cref="TransferabilityOptions"/>).</summary>
    public TransferabilityEvaluator TransferabilityEvaluator(TransferabilityOptions options) => new(Context, options);
}
