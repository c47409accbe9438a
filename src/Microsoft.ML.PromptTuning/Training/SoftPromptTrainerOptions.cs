namespace Microsoft.ML.PromptTuning.Training;

/// <summary>How a soft prompt, or a projector producing one, is trained (the backbones stay frozen).</summary>
public sealed record SoftPromptTrainerOptions
{
    /// <summary>Peak AdamW learning rate of the prompt (the paper used 1e-3 … 5e-3 for base-size models).</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Linear warmup steps.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Linear decay to zero at <see cref="MaxSteps"/> (otherwise constant after warmup).</summary>
    public bool LinearDecay { get; init; } = true;

    public int BatchSize { get; init; } = 16;

    /// <summary>Upper bound on optimisation steps.</summary>
    public int MaxSteps { get; init; } = 1000;

    /// <summary>Optional bound on passes over the training rows (whichever of steps and epochs comes first).</summary>
    public int? MaxEpochs { get; init; }

    public double MaxGradNorm { get; init; } = 1.0;

    public double WeightDecay { get; init; }

    /// <summary>Validation every this many steps (and at the end); the best prompt is kept.</summary>
    public int EvaluateEverySteps { get; init; } = 50;

    /// <summary>Stop after this many evaluations without improvement; null never stops early.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Seed of the batch order: the same seed and data give the same prompt.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Folder for a resumable checkpoint; null disables checkpointing.</summary>
    public string? CheckpointDirectory { get; init; }

    public int CheckpointEverySteps { get; init; } = 100;

    /// <summary>
    /// Pause at this step of the <see cref="MaxSteps"/> schedule (validating and checkpointing there) and return the best
    /// prompt so far; with a <see cref="CheckpointDirectory"/> a later run with a higher value continues from the pause,
    /// exactly as if it had never stopped. Null runs to the end. Successive halving pauses trials at each rung this way.
    /// </summary>
    public int? StopAtStep { get; init; }

    /// <summary>
    /// How many batches whose loss or gradient is NaN/Inf may be skipped (the prompt and optimizer left unchanged) before
    /// training stops with <see cref="NonFiniteLossException"/>; 0 (the default) stops at the first. Either way the prompt
    /// never becomes NaN/Inf.
    /// </summary>
    public int MaxSkippedNonFiniteSteps { get; init; }

    /// <summary>The step budget for data of <paramref name="batchesPerEpoch"/> batches: <see cref="MaxSteps"/>, or fewer when <see cref="MaxEpochs"/> ends training first.</summary>
    internal int MaxStepsFor(int batchesPerEpoch) => MaxEpochs is int epochs ? Math.Min(MaxSteps, epochs * batchesPerEpoch) : MaxSteps;

    /// <summary>Checks the values; messages name the field at fault.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be positive.");
        if (WarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "WarmupSteps cannot be negative.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be positive.");
        if (MaxSteps < 1) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "MaxSteps must be positive.");
        if (MaxEpochs is < 1) throw new ArgumentOutOfRangeException(nameof(MaxEpochs), MaxEpochs, "MaxEpochs must be positive.");
        if (!(MaxGradNorm > 0)) throw new ArgumentOutOfRangeException(nameof(MaxGradNorm), MaxGradNorm, "MaxGradNorm must be positive.");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay cannot be negative.");
        if (EvaluateEverySteps < 1) throw new ArgumentOutOfRangeException(nameof(EvaluateEverySteps), EvaluateEverySteps, "EvaluateEverySteps must be positive.");
        if (EarlyStoppingPatience is < 1) throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "EarlyStoppingPatience must be positive.");
        if (StopAtStep is < 1) throw new ArgumentOutOfRangeException(nameof(StopAtStep), StopAtStep, "StopAtStep must be positive.");
        // A pause off the validation grid would add a point the uninterrupted run never has (and could change the best prompt).
        if (StopAtStep is int stop && stop < MaxSteps && stop % EvaluateEverySteps != 0)
            throw new ArgumentException($"StopAtStep ({stop}) must be a multiple of EvaluateEverySteps ({EvaluateEverySteps}).", nameof(StopAtStep));
        if (MaxSkippedNonFiniteSteps < 0) throw new ArgumentOutOfRangeException(nameof(MaxSkippedNonFiniteSteps), MaxSkippedNonFiniteSteps, "MaxSkippedNonFiniteSteps cannot be negative.");
        if (CheckpointEverySteps < 1) throw new ArgumentOutOfRangeException(nameof(CheckpointEverySteps), CheckpointEverySteps, "CheckpointEverySteps must be positive.");
    }
}
