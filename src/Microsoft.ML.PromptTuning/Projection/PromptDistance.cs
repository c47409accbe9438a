namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>What Distance Minimizing minimises between a projected prompt and the target model's own prompt.</summary>
public enum PromptDistance
{
    /// <summary>Mean squared error over all values.</summary>
    MeanSquaredError,

    /// <summary>One minus the cosine similarity of corresponding soft tokens, averaged over tokens.</summary>
    Cosine,
}
