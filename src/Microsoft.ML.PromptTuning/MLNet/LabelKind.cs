namespace Microsoft.ML.PromptTuning.MLNet;

/// <summary>The type of a label column, which <c>PredictedLabel</c> reproduces.</summary>
public enum LabelKind
{
    /// <summary>A text label (e.g. "positive").</summary>
    Text,

    /// <summary>A boolean label (false/true).</summary>
    Boolean,

    /// <summary>A key-typed label (ML.NET's <c>MapValueToKey</c> output), optionally with key values.</summary>
    Key,
}
