using Microsoft.ML.PromptTuning.Prompts;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.MLNet.Persistence;

/// <summary>
/// Rebuilds a live <see cref="SoftPromptTransformer"/> from a model loaded with <c>mlContext.Model.Load</c>. The loaded chain
/// itself scores row by row through ML.NET's <c>CustomMapping</c>, whose reload cannot keep vector sizes; the rebuilt
/// transformer has the trained model's schema (fixed-size <c>Score</c> with slot names) and its batched <c>Transform</c>.
/// </summary>
internal static class SavedSoftPrompt
{
    public static SoftPromptTransformer Load(MLContext context, ITransformer model)
    {
        var stored = SavedModelChain.StoredValues(context, model, PersistenceColumns.State);
        if (!stored.TryGetValue(PersistenceColumns.State, out string? json))
            throw new ArgumentException("The model holds no soft prompt; save a SoftPromptTransformer with mlContext.Model.Save.", nameof(model));
        return Rebuild(context, SoftPromptState.Parse(json), DeviceSelection.Select(context));
    }

    /// <summary>
    /// The transformer a stored state describes, on <paramref name="device"/>. The prompt's backbone description and the
    /// output names default to what the state records (ML.NET's default names for models saved before it recorded them).
    /// </summary>
    public static SoftPromptTransformer Rebuild(MLContext context, SoftPromptState state, Device device, BackboneInfo? backboneInfo = null,
        (string PredictedLabel, string Score, string Probability)? columns = null)
    {
        var predictor = LoadedSoftPrompts.Create(state, device);
        var backbone = predictor.Classifier.Backbone;
        try
        {
            var words = predictor.Classifier.Verbalizer.LabelWords;
            using var embeddings = state.Prompt();
            var prompt = new SoftPrompt(embeddings, backboneInfo ?? BackboneInfo.FromModel(backbone, state.BackbonePath), predictor.Classifier.Encoder.Template, words);
            var (predicted, score, probability) = columns ?? (state.PredictedLabelColumn ?? PersistenceColumns.PredictedLabel,
                state.ScoreColumn ?? PersistenceColumns.Score, state.ProbabilityColumn ?? PersistenceColumns.Probability);
            var outputs = new SoftPromptOutputSchema(new LabelColumn(state.LabelKind, state.KeyValues), words.Labels, predicted, score, probability,
                state.MaskRepresentationColumn, backbone.HiddenSize);
            return new SoftPromptTransformer(context, predictor, prompt, state, outputs, []);
        }
        catch
        {
            predictor.Dispose();
            BackboneCache.Release(backbone);
            throw;
        }
    }
}
