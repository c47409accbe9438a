namespace Microsoft.ML.PromptTuning.Sweeping;

/// <summary>How a sweep picks its trials.</summary>
public enum SweepStrategy
{
    /// <summary>Independent random points (seeded), the default: better than a grid when few dimensions matter.</summary>
    Random,

    /// <summary>The Cartesian product of the dimensions' grid values, in order.</summary>
    Grid,
}
