namespace Microsoft.ML.PromptTuning.Transfer.Indicators;

/// <summary>Which vectors of two prompts <c>[N, hidden]</c> <see cref="PromptEmbeddingSimilarity"/> compares.</summary>
public enum PromptEmbeddingView
{
    /// <summary>The prompts flattened to <c>[N × hidden]</c> (equal lengths required).</summary>
    Concatenated,

    /// <summary>The mean over tokens, <c>[hidden]</c>.</summary>
    TokenAveraged,

    /// <summary>All token pairs <c>(i, j)</c>: their mean cosine, or the Euclidean similarity of their mean distance.</summary>
    TokenWise,
}
