namespace Microsoft.ML.PromptTuning.Transfer.Indicators;

/// <summary>How two vectors are compared.</summary>
public enum VectorSimilarity
{
    /// <summary><c>u·v / (|u| |v|)</c>; 0 when either vector is zero.</summary>
    Cosine,

    /// <summary><c>1 / (1 + |u − v|)</c>.</summary>
    Euclidean,
}
