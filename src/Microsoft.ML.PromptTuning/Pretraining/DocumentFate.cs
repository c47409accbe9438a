namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>What the scan decided for one document read from a source.</summary>
internal enum DocumentFate : byte
{
    /// <summary>No text after normalisation; dropped.</summary>
    Empty,

    /// <summary>Same text as an earlier document; dropped.</summary>
    Duplicate,

    /// <summary>Same text as a document of an exclusion source; dropped.</summary>
    Excluded,

    /// <summary>Written to the training stream.</summary>
    Train,

    /// <summary>Written to the held-out stream.</summary>
    HeldOut,
}
