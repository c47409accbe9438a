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
        try
        {
            var projected = SavedSoftPrompt.Rebuild(context, promptState, TorchSharp.torch.CPU, projector.Config.Target,
                (projectorState.PredictedLabelColumn, projectorState.ScoreColumn, projectorState.ProbabilityColumn));
            return new PromptProjectorTransformer(context, projector, projected);
        }
        catch
        {
            projector.Dispose();
            throw;
        }
    }
}
