namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>The two token streams of a <see cref="TokenizedCorpus"/>.</summary>
public enum CorpusSplit
{
    /// <summary>The documents used for pre-training (<c>train.tokens</c>).</summary>
    Train,

    /// <summary>The documents held out for evaluation (<c>heldout.tokens</c>), about <see cref="CorpusBuildOptions.HeldOutFraction"/> of each part.</summary>
    HeldOut,
}
