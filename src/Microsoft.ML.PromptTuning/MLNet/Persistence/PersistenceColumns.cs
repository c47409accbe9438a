namespace Microsoft.ML.PromptTuning.MLNet.Persistence;

/// <summary>Names of the internal columns of a saved soft-prompt or projector model (dropped at the end of its chain).</summary>
internal static class PersistenceColumns
{
    public const string Texts = "__PromptTexts";
    public const string StateKey = "__PromptStateKey";
    public const string State = "__PromptState";
    public const string StateKeyValue = "soft-prompt";
    public const string PredictedLabel = "PredictedLabel";
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string MaskRepresentation = "MaskRepresentation";
    public const string ProjectorState = "__ProjectorState";
}
