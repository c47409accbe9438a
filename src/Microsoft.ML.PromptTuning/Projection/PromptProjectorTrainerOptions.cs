using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Projection;

/// <summary>How a <see cref="PromptProjector"/> is built and trained (both backbones stay frozen).</summary>
public sealed record PromptProjectorTrainerOptions
{
    /// <summary>The paper's learning rate for the projector.</summary>
    public const double DefaultLearningRate = 5e-3;

    /// <summary>Units of the projector's hidden layer.</summary>
    public int HiddenSize { get; init; } = PromptProjectorConfig.DefaultHiddenSize;

    public ProjectorActivation Activation { get; init; } = ProjectorActivation.Tanh;

    /// <summary>The distance Distance Minimizing minimises.</summary>
    public PromptDistance Distance { get; init; } = PromptDistance.MeanSquaredError;

    /// <summary>Allow target prompts of another length than the source prompts (otherwise a mismatch is an error).</summary>
    public bool AllowLengthChange { get; init; }

    /// <summary>The optimisation loop: AdamW (learning rate 5e-3 by default), steps, validation cadence, early stopping,
    /// checkpoint folder and seed (which also initialises the projector). Batch size counts rows for Task Tuning; Distance
    /// Minimizing uses every pair at every step.</summary>
    public SoftPromptTrainerOptions Training { get; init; } = new() { LearningRate = DefaultLearningRate };

    /// <summary>Checks the values; messages name the field at fault.</summary>
    public void Validate()
    {
        if (HiddenSize < 1)
            throw new ArgumentOutOfRangeException(nameof(HiddenSize), HiddenSize, "HiddenSize must be positive.");
        if (!Enum.IsDefined(Activation))
            throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "Unknown projector activation.");
        if (!Enum.IsDefined(Distance))
            throw new ArgumentOutOfRangeException(nameof(Distance), Distance, "Unknown prompt distance.");
        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        Training.Validate();
    }
}
