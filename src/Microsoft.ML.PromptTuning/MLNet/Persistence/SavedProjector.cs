using Microsoft.ML.PromptTuning.Prompts;

namespace Microsoft.ML.PromptTuning.MLNet.Persistence;

/// <summary>Rebuilds a <see cref="PromptProjectorTransformer"/> from a model loaded with <c>mlContext.Model.Load</c>.</summary>
internal static class SavedProjector
{
    public static PromptProjectorTransformer Load(MLContext context, ITransformer model)
    {
        var stored = SavedModelChain.StoredValues(context, model, PersistenceColumns.State, PersistenceColumns.ProjectorState);
        if (!stored.TryGetValue(PersistenceColumns.ProjectorState, out string? projectorJson) || !stored.TryGetValue(PersistenceColumns.State, out string? promptJson))
            throw new ArgumentException("The model holds no prompt projector; save a PromptProjectorTransformer with mlContext.Model.Save.", nameof(model));
        var projectorState = PromptProjectorState.Parse(projectorJson);
        var promptState = SoftPromptState.Parse(promptJson);
        var projector = projectorState.Projector();
        SoftPromptPredictor? predictor = null;
        try
        {
            predictor = LoadedSoftPrompts.Create(promptState);
            var words = predictor.Classifier.Verbalizer.LabelWords;
            using var embeddings = promptState.Prompt();
            var prompt = new SoftPrompt(embeddings, projector.Config.Target, predictor.Classifier.Encoder.Template, words);
            var outputs = new SoftPromptOutputSchema(new LabelColumn(promptState.LabelKind, promptState.KeyValues), words.Labels,
                projectorState.PredictedLabelColumn, projectorState.ScoreColumn, projectorState.ProbabilityColumn,
                promptState.MaskRepresentationColumn, predictor.Classifier.Backbone.HiddenSize);
            return new PromptProjectorTransformer(context, projector, new SoftPromptTransformer(context, predictor, prompt, promptState, outputs, []));
        }
        catch
        {
            projector.Dispose();
            if (predictor is not null)
            {
                predictor.Dispose();
                BackboneCache.Release(predictor.Classifier.Backbone);
            }
            throw;
        }
    }
}
